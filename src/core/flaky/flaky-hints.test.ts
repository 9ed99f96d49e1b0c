import { describe, expect, it } from 'vitest';
import {
  flakyHints,
  needsBaseline,
  type ExecutionBaseline,
  type FailureForHints,
} from './flaky-hints.ts';

const failure = (overrides: Partial<FailureForHints>): FailureForHints => ({
  at: '2026-11-20T10:00:00.000Z',
  durationMs: 120,
  message: 'expected 1',
  variant: null,
  ciJob: 'test',
  ...overrides,
});

describe('flakyHints', () => {
  it('says nothing about fewer than three failures without a seed', () => {
    expect(flakyHints([failure({}), failure({})])).toEqual([]);
  });

  /** Executions spread evenly over the day, one CI job and variant each as given. */
  const spread = (
    executions: number,
    extra: Partial<ExecutionBaseline> = {},
  ): ExecutionBaseline => ({
    executions,
    byHour: Array.from({ length: 24 }, () => executions / 24),
    byCiJob: {},
    byVariant: {},
    ...extra,
  });

  it('points at a CI job that holds more failures than its share of executions', () => {
    const failures = [
      failure({ ciJob: 'shard-3' }),
      failure({ ciJob: 'shard-3' }),
      failure({ ciJob: 'shard-3' }),
      failure({ ciJob: 'shard-1' }),
    ];
    expect(
      flakyHints(failures, spread(40, { byCiJob: { 'shard-1': 30, 'shard-3': 10 } })),
    ).toContain('75% of failures on CI job shard-3, which ran 25% of executions');
    // The same failures, when shard-3 ran most executions: no hint.
    expect(
      flakyHints(failures, spread(40, { byCiJob: { 'shard-1': 4, 'shard-3': 36 } })).some((h) =>
        h.includes('CI job'),
      ),
    ).toBe(false);
    // Without a baseline nothing is compared, so nothing is said.
    expect(flakyHints(failures).some((h) => h.includes('CI job'))).toBe(false);
  });

  it('points at durations near a common timeout, or timeout messages', () => {
    const near = [5_010, 4_990, 5_000].map((durationMs, i) =>
      failure({ durationMs, at: `2026-11-2${i}T0${i * 4}:00:00.000Z` }),
    );
    expect(flakyHints(near).some((h) => h.includes('about a common timeout'))).toBe(true);
    const said = [1, 2, 3].map((i) =>
      failure({
        durationMs: 300 * i,
        message: 'Timeout 5000ms exceeded',
        at: `2026-11-2${i}T0${i * 4}:00:00.000Z`,
      }),
    );
    expect(flakyHints(said)).toContain('3 of 3 failure messages mention a timeout');
  });

  it('points at the hours of day when failures cluster more than executions do', () => {
    const failures = [1, 2, 3].map((d) => failure({ at: `2026-11-1${d}T02:${10 + d}:00.000Z` }));
    expect(flakyHints(failures, spread(48))).toContain(
      '100% of failures between 00:00 and 03:00 UTC, when 13% of executions ran',
    );
  });

  it('says nothing of the hours when every execution ran in them (field report item 10)', () => {
    const failures = [17, 18, 19].map((h, d) =>
      failure({ at: `2026-11-1${d}T${h}:${10 + d}:00.000Z` }),
    );
    const office: ExecutionBaseline = {
      executions: 20,
      byHour: Array.from({ length: 24 }, (_, h) => (h >= 17 && h < 20 ? 20 / 3 : 0)),
      byCiJob: { test: 20 },
      byVariant: {},
    };
    expect(flakyHints(failures, office)).toEqual([]);
  });

  it('names the hours only when 70% of failures fall in one 3-hour window', () => {
    const at = (hours: number[]) =>
      hours.map((hour, i) =>
        failure({ at: `2026-11-${10 + i}T${String(hour).padStart(2, '0')}:30:00.000Z` }),
      );
    expect(flakyHints(at([2, 2, 2, 2, 2, 2, 2, 2, 10, 14]), spread(240))).toContain(
      '80% of failures between 00:00 and 03:00 UTC, when 13% of executions ran',
    );
    expect(
      flakyHints(at([2, 2, 2, 2, 2, 2, 10, 14, 18, 20]), spread(240)).some((h) =>
        h.includes('UTC'),
      ),
    ).toBe(false);
  });

  it('shows a recorded seed, even for one failure', () => {
    expect(flakyHints([failure({ properties: { 'jest.seed': '1234', owner: 'x' } })])).toEqual([
      'failing runs recorded jest.seed=1234: replay with it',
    ]);
  });
});

describe('needsBaseline', () => {
  it('asks for executions only when 70% of at least 3 failures fall in one place', () => {
    const at = (h: number, job: string) =>
      failure({ at: `2026-11-10T${String(h).padStart(2, '0')}:00:00.000Z`, ciJob: job });
    expect(needsBaseline([at(1, 'a'), at(9, 'b')])).toBe(false);
    expect(needsBaseline([at(1, 'a'), at(9, 'b'), at(17, 'c')])).toBe(false);
    expect(needsBaseline([at(1, 'a'), at(9, 'a'), at(17, 'a')])).toBe(true);
    expect(needsBaseline([at(1, 'a'), at(2, 'b'), at(3, 'c')])).toBe(true);
  });
});
