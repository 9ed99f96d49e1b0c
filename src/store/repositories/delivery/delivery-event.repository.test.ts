import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvents } from '../../../app/delivery/record-events.ts';
import { openTestStore, testDialects, type TestStore } from '../../../testing/open-test-store.ts';
import {
  countLedgerEventsByType,
  countServiceEvents,
  listDeliveryServices,
} from './delivery-event.repository.ts';

describe.each(testDialects)('delivery-event.repository on %s', (dialect) => {
  let store: TestStore;
  const day = (d: number) => `2026-11-0${d}T12:00:00.000Z`;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    const events = [
      ['zeta', 1, 'commit_created'],
      ['api', 2, 'commit_created'],
      ['api', 3, 'deploy_started'],
      ['api', 3, 'commit_created'],
      ['Billing', 4, 'incident_opened'],
      ['web', 6, 'commit_created'],
    ] as const;
    await recordEvents(
      store,
      events.map(([service, d, type], i) => ({
        value: {
          type,
          id: `e${i}`,
          source: 'repo-test',
          occurredAt: day(d),
          service,
          commit: `c${i}`,
          ...(type === 'incident_opened' ? { incident: `i${i}` } : {}),
        },
      })),
      { receivedAt: day(7), atomic: true },
    );
  });
  afterAll(async () => {
    await store.drop();
  });

  it.each([
    ['every service', day(1), day(7), ['Billing', 'api', 'web', 'zeta']],
    ['only those with an event in the range, its end excluded', day(2), day(6), ['Billing', 'api']],
    ['none before the first event', '2026-10-01T00:00:00.000Z', day(1), []],
  ] as const)('lists %s, sorted', async (_, from, to, expected) => {
    expect(await listDeliveryServices(store.db, { from, to })).toEqual(expected);
  });

  it('counts one service’s events in a range, the same as the count by type adds up to', async () => {
    const range = { service: 'api', from: day(3), to: day(7) };
    expect(await countServiceEvents(store.db, range)).toBe(2);
    const byType = await countLedgerEventsByType(store.db, range);
    expect([...byType.values()].reduce((a, b) => a + b, 0)).toBe(2);
    expect(await countServiceEvents(store.db, { ...range, service: 'nobody' })).toBe(0);
  });
});
