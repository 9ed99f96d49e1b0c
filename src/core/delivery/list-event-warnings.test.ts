import { describe, expect, it } from 'vitest';
import type { DeliveryEvent } from './delivery-event.ts';
import { listEventWarnings } from './list-event-warnings.ts';

const at = '2026-11-01T00:00:00Z';
const event = (fields: Partial<DeliveryEvent> & Pick<DeliveryEvent, 'type'>): DeliveryEvent => ({
  occurredAt: at,
  service: 'api',
  ...fields,
});

describe('listEventWarnings', () => {
  it('warns that a deployment event without a deployment or commit never counts', () => {
    expect(listEventWarnings(event({ type: 'deploy_started' }))).toEqual([
      {
        path: 'deployment',
        message:
          'deploy_started names no deployment or commit: it cannot be placed on a deployment and never counts',
      },
      {
        path: 'environment',
        message:
          'deploy_started names no environment: it counts in production (a report of another environment leaves it out)',
      },
    ]);
  });

  it.each([
    ['commit_created', 'commit'],
    ['tests_passed', 'commit'],
    ['policy_failed', 'commit'],
    ['incident_resolved', 'incident'],
  ] as const)('warns about a %s without its %s', (type, path) => {
    expect(listEventWarnings(event({ type })).map((w) => w.path)).toEqual([path]);
  });

  it('says nothing about events that can count', () => {
    expect(
      listEventWarnings(
        event({ type: 'deploy_finished', deployment: 'd1', environment: 'production' }),
      ),
    ).toEqual([]);
    expect(
      listEventWarnings(
        event({ type: 'rollback_triggered', commit: 'c1', environment: 'production' }),
      ),
    ).toEqual([]);
    expect(listEventWarnings(event({ type: 'policy_passed', commit: 'c1' }))).toEqual([]);
    expect(listEventWarnings(event({ type: 'incident_opened' }))).toEqual([]);
    expect(listEventWarnings(event({ type: 'incident_resolved', incident: 'i1' }))).toEqual([]);
  });
});
