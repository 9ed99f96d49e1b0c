import { describe, expect, it } from 'vitest';
import { simulateGauge, type GaugeScenario } from './calibration/simulate-watch.ts';
import { detectDrift } from './detect-drift.ts';
import { mannKendall } from './mann-kendall.ts';

const minute = 60_000;
const healthy: GaugeScenario = {
  minutes: 120,
  level: 100,
  noise: 0.011,
  phi: 0.8,
  seasonality: 0,
  startMinute: 0,
};
const options = { direction: 'increase' as const, intervalMs: minute };

describe('detectDrift', () => {
  it('finds a leak of 1% per 10 minutes and projects when it reaches the limit', () => {
    const series = simulateGauge({ ...healthy, noise: 0.005, leakPerMinute: 0.001 }, 7);
    const result = detectDrift(series, { ...options, limit: 130 });
    expect(result.result).toBe('degraded');
    expect(result.effect.estimate).toBeGreaterThan(0.04);
    expect(result.effect.low).toBeGreaterThan(0);
    expect(result.limitInMs).toBeGreaterThan(0);
    expect(result.reason).toMatch(/^drifts \+\d+\.\d% per hour .*reaches 130 in \d+ min$/);
  });

  it('calls a flat series healthy, and a decreasing one healthy when only increases are bad', () => {
    const flat = Array.from({ length: 120 }, (_, i) => 100 + (i % 2) * 0.1);
    expect(detectDrift(flat, options).result).toBe('healthy');
    const falling = simulateGauge({ ...healthy, noise: 0.002, leakPerMinute: -0.002 }, 3);
    expect(detectDrift(falling, options).result).toBe('healthy');
    expect(detectDrift(falling, { ...options, direction: 'decrease' }).result).toBe('degraded');
  });

  it('is inconclusive on too few points, with the count', () => {
    expect(detectDrift([1, 2, 3, 4, 5], options)).toMatchObject({
      result: 'inconclusive',
      reason: '5 points, 15 needed',
    });
  });

  it('does not take a daily cycle for a drift when given the same minutes of earlier days', () => {
    // The rising flank of a ±10% daily cycle climbs up to 2.6%/h: a threshold of 2%/h fires on it.
    const scenario = { ...healthy, noise: 0.002, seasonality: 0.1, startMinute: 1400 };
    const today = simulateGauge(scenario, 11);
    const yesterday = simulateGauge(scenario, 12);
    expect(detectDrift(today, { ...options, threshold: 0.02 }).result).toBe('degraded');
    expect(
      detectDrift(today, { ...options, threshold: 0.02, baseline: yesterday }).result,
    ).not.toBe('degraded');
  });

  it('keeps false alarms rare on healthy AR(1) φ = 0.8 watched every minute, where naive Mann-Kendall does not', () => {
    // 60 watches of 2 h, evaluated every minute from minute 15 (seeded; bench part (j) runs more).
    let alarms = 0;
    let naive = 0;
    for (let w = 0; w < 60; w++) {
      const series = simulateGauge(healthy, 100 + w);
      let fired = false;
      let naiveFired = false;
      for (let n = 15; n <= 120; n += 3) {
        const window = series.slice(0, n);
        fired ||= detectDrift(window, options).result === 'degraded';
        naiveFired ||= mannKendall(window).z > 3.09; // the same one-sided α = 0.001, no correction
      }
      alarms += fired ? 1 : 0;
      naive += naiveFired ? 1 : 0;
    }
    // Measured at 1 of 60 here and in bench part (j) over more watches (STATISTICS.md "watch").
    expect(alarms).toBeLessThanOrEqual(2);
    expect(naive).toBeGreaterThan(10 * Math.max(1, alarms));
  });
});
