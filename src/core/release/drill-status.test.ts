import { describe, expect, it } from 'vitest';
import { summarizeDrills, type DrillRecord } from './drill-status.ts';

const drill = (
  service: string,
  occurredAt: string,
  result: 'success' | 'failure' = 'success',
  environment = 'staging',
): DrillRecord => ({
  service,
  environment,
  occurredAt,
  result,
  durationMs: 1000,
  action: 'exec',
});
const now = '2026-12-01T12:00:00Z';

describe('summarizeDrills', () => {
  it('keeps the last drill per service and environment and ages it in whole days', () => {
    const rows = summarizeDrills(
      [
        drill('api', '2026-11-25T12:00:00Z'),
        drill('api', '2026-11-01T00:00:00Z', 'failure'),
        drill('api', '2026-11-30T00:00:00Z', 'success', 'qa'),
      ],
      { now, expected: [], defaultMaxAgeDays: 30 },
    );
    expect(rows.map((r) => [r.service, r.environment, r.status, r.ageDays])).toEqual([
      ['api', 'qa', 'fresh', 1],
      ['api', 'staging', 'fresh', 6],
    ]);
  });

  it('is stale one day past the limit, not on it', () => {
    const at30 = summarizeDrills([drill('api', '2026-11-01T12:00:00Z')], {
      now,
      expected: [],
      defaultMaxAgeDays: 30,
    });
    const at31 = summarizeDrills([drill('api', '2026-10-31T12:00:00Z')], {
      now,
      expected: [],
      defaultMaxAgeDays: 30,
    });
    expect([at30[0]?.status, at31[0]?.status]).toEqual(['fresh', 'stale']);
  });

  it('fails when the last drill failed, whatever succeeded before, and names the last success', () => {
    const [row] = summarizeDrills(
      [drill('api', '2026-11-20T00:00:00Z'), drill('api', '2026-11-30T00:00:00Z', 'failure')],
      {
        now,
        expected: [],
        defaultMaxAgeDays: 30,
      },
    );
    expect(row).toMatchObject({ status: 'failed', lastSuccessAt: '2026-11-20T00:00:00Z' });
  });

  it('lists an expected service that never drilled, with its own limit', () => {
    const rows = summarizeDrills([drill('api', '2026-11-20T00:00:00Z')], {
      now,
      expected: [
        { service: 'api', environment: 'staging', maxAgeDays: 7 },
        { service: 'web', environment: 'staging', maxAgeDays: 30 },
      ],
      defaultMaxAgeDays: 30,
    });
    expect(rows.map((r) => [r.service, r.status, r.maxAgeDays])).toEqual([
      ['api', 'stale', 7],
      ['web', 'never', 30],
    ]);
  });

  it('does not depend on the order the ledger returned', () => {
    const drills = [
      drill('a', '2026-11-01T00:00:00Z', 'failure'),
      drill('a', '2026-11-29T00:00:00Z'),
      drill('b', '2026-11-02T00:00:00Z'),
    ];
    const options = { now, expected: [], defaultMaxAgeDays: 30 };
    expect(summarizeDrills([...drills].reverse(), options)).toEqual(
      summarizeDrills(drills, options),
    );
  });
});
