import type { Migration } from 'kysely';
import { testResultsMigration } from './0001-test-results.ts';
import { flakyAggregatesMigration } from './0002-flaky-aggregates.ts';
import { deliveryEventsMigration } from './0003-delivery-events.ts';

/** Every migration, in order. Names are permanent: never rename or reorder one that shipped. */
export const migrations: Record<string, Migration> = {
  '0001-test-results': testResultsMigration,
  '0002-flaky-aggregates': flakyAggregatesMigration,
  '0003-delivery-events': deliveryEventsMigration,
};
