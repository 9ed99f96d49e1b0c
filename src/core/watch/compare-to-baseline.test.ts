import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/seeded-random.ts';
import { simulateGauge } from './calibration/simulate-watch.ts';
import { compareCountsToBaseline, compareSeriesToBaseline } from './compare-to-baseline.ts';

/** Per-minute sessions and conversions at `rate`, Poisson-ish traffic around `traffic`. */
function funnel(minutes: number, traffic: number, rate: number, seed: number) {
  const random = seededRandom(seed);
  const total: number[] = [];
  const events: number[] = [];
  for (let m = 0; m < minutes; m++) {
    const n = Math.round(traffic * (0.8 + 0.4 * random()));
    let e = 0;
    for (let i = 0; i < n; i++) if (random() < rate) e++;
    total.push(n);
    events.push(e);
  }
  return { events, total };
}

describe('compareCountsToBaseline (a KPI against the same minutes of earlier days)', () => {
  it('finds a 10% conversion drop within an hour at 2,000 sessions a minute', () => {
    // The anytime-valid interval needs about 8,000 conversions in the window to tell 5% apart
    // (STATISTICS.md "watch"): at 400 sessions a minute it says inconclusive, never healthy.
    const history = funnel(60, 7 * 2000, 0.1, 1); // 7 days summed
    const today = funnel(60, 2000, 0.1 * 0.9, 2);
    const finding = compareCountsToBaseline(history, today, {
      direction: 'decrease',
      threshold: 0.05,
    });
    expect(finding.result).toBe('degraded');
    expect(finding.effect?.estimate).toBeLessThan(-0.05);
  });

  it('calls an unchanged KPI healthy, and says inconclusive when traffic is too low to tell', () => {
    // Healthy needs the power to see 5%: about 4,000 sessions a minute for an hour at 10% conversion.
    const history = funnel(60, 7 * 4000, 0.1, 3);
    expect(
      compareCountsToBaseline(history, funnel(60, 4000, 0.1, 4), {
        direction: 'decrease',
        threshold: 0.05,
      }).result,
    ).toBe('healthy');
    const thin = compareCountsToBaseline(funnel(10, 7, 0.1, 5), funnel(10, 1, 0.1, 6), {
      direction: 'decrease',
      threshold: 0.05,
    });
    expect(thin.result).toBe('inconclusive');
    expect(thin.reason).not.toBe('');
  });
});

describe('compareSeriesToBaseline (a level shift after the deploy)', () => {
  const scenario = {
    minutes: 60,
    level: 200,
    noise: 0.02,
    phi: 0.5,
    seasonality: 0,
    startMinute: 0,
  };
  it('finds a +20% latency shift and passes an unchanged series', () => {
    const before = simulateGauge(scenario, 1);
    const after = simulateGauge({ ...scenario, level: 240 }, 2);
    expect(
      compareSeriesToBaseline(before, after, { direction: 'increase', threshold: 0.1 }).result,
    ).toBe('degraded');
    expect(
      compareSeriesToBaseline(before, simulateGauge(scenario, 3), {
        direction: 'increase',
        threshold: 0.1,
      }).result,
    ).toBe('healthy');
  });

  it('is inconclusive on too few intervals', () => {
    expect(
      compareSeriesToBaseline([1, 2], [1, 2], { direction: 'increase', threshold: 0.1 }).result,
    ).toBe('inconclusive');
  });
});
