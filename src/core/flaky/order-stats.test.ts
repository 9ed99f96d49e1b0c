import { describe, expect, it } from 'vitest';
import type { FinalStatus } from '../tests/test-model.ts';
import { orderStats, type OrderedExecution } from './order-stats.ts';

const run = (statuses: string, extra: Partial<OrderedExecution> = {}): OrderedExecution[] =>
  [...statuses].map((c) => ({
    status: ({ p: 'passed', f: 'failed', s: 'skipped', r: 'flaky' } as Record<string, FinalStatus>)[
      c
    ]!,
    systemic: false,
    onStreakBranch: true,
    ...extra,
  }));

describe('orderStats', () => {
  it('counts the first pass→fail flip (field report item 18: pass, pass, fail, pass, pass, fail, fail, pass)', () => {
    expect(orderStats(run('ppfppffp'))).toEqual({ flips: 4, failStreak: 0 });
  });

  it('counts a streak of failures up to the latest execution', () => {
    expect(orderStats(run('pfpfff'))).toEqual({ flips: 3, failStreak: 3 });
  });

  it('leaves out skips and systemic failures, and takes a pass on retry as a pass', () => {
    expect(orderStats([...run('pf'), ...run('f', { systemic: true }), ...run('sr')])).toEqual({
      flips: 2,
      failStreak: 0,
    });
  });

  it('counts the streak on its branch only, and flips on every branch', () => {
    expect(orderStats([...run('ff'), ...run('p', { onStreakBranch: false }), ...run('f')])).toEqual(
      { flips: 2, failStreak: 3 },
    );
  });
});
