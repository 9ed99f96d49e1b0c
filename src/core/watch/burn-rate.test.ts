import { describe, expect, it } from 'vitest';
import { burnRate, type CountPoint } from './burn-rate.ts';

const minute = 60_000;
/** Minutes 1..n, each with `total` requests and `bad(i)` errors. */
const series = (n: number, total: number, bad: (i: number) => number): CountPoint[] =>
  Array.from({ length: n }, (_, i) => ({ at: (i + 1) * minute, bad: bad(i), total }));

describe('burnRate (SRE workbook multi-window, multi-burn-rate)', () => {
  const objective = 0.999; // budget 0.1%

  it('does not fire at the budget rate, nor on a 5-minute spike alone', () => {
    const steady = series(360, 1000, () => 1); // 0.1% errors: burn rate 1
    expect(burnRate(steady, { objective, now: 360 * minute }).firing).toBe(false);
    const spike = series(360, 1000, (i) => (i >= 355 ? 100 : 0)); // 10% in the last 5 min only
    const result = burnRate(spike, { objective, now: 360 * minute });
    expect(result.pairs[0]?.shortRate).toBeCloseTo(100, 6);
    expect(result.pairs[0]?.longRate).toBeCloseTo((5 * 100) / (60 * 1000) / 0.001, 6); // 8.33 < 14.4
    expect(result.firing).toBe(false);
  });

  it('fires the fast pair when the last hour and the last 5 minutes both burn above 14.4', () => {
    const burning = series(360, 1000, (i) => (i >= 300 ? 20 : 0)); // 2% for the last hour: burn 20
    const result = burnRate(burning, { objective, now: 360 * minute });
    expect(result.pairs.map((p) => p.firing)).toEqual([true, false]);
    expect(result.firing).toBe(true);
  });

  it('fires the slow pair at 6x over 6 hours and 30 minutes', () => {
    const burning = series(360, 1000, () => 7); // 0.7%: burn 7
    const result = burnRate(burning, { objective, now: 360 * minute });
    expect(result.pairs.map((p) => p.firing)).toEqual([false, true]);
  });

  it('stops firing as soon as the short window recovers (the reset the workbook wants)', () => {
    const recovered = series(360, 1000, (i) => (i >= 300 && i < 354 ? 20 : 0));
    expect(burnRate(recovered, { objective, now: 360 * minute }).pairs[0]?.firing).toBe(false);
  });

  it('has no rate without traffic and says when the long window is not yet covered', () => {
    const quiet = series(30, 0, () => 0);
    const result = burnRate(quiet, { objective, now: 30 * minute });
    expect(result.pairs[0]).toMatchObject({ longRate: null, shortRate: null, firing: false });
    expect(result.incomplete).toBe(true);
  });
});
