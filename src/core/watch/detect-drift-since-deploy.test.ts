import { describe, expect, it } from 'vitest';
import { simulateGauge, type GaugeScenario } from './calibration/simulate-watch.ts';
import { detectDriftSinceDeploy } from './detect-drift-since-deploy.ts';

const minute = 60_000;
const steady: GaugeScenario = {
  minutes: 240,
  level: 100,
  noise: 0.011,
  phi: 0.8,
  seasonality: 0,
  startMinute: 0,
};
const split = (series: number[], n = 120) => ({
  before: series.slice(0, 120),
  after: series.slice(120, 120 + n),
});

describe('detectDriftSinceDeploy', () => {
  it('finds a leak of 1%/10 min since the deploy within the hour, with φ learnt before it', () => {
    const { before, after } = split(
      simulateGauge({ ...steady, leakPerMinute: 0.001, leakFrom: 120 }, 7),
    );
    let found: number | null = null;
    for (let n = 5; n <= 60 && found === null; n++) {
      const result = detectDriftSinceDeploy(after.slice(0, n), {
        direction: 'increase',
        intervalMs: minute,
        before,
      });
      if (result.result === 'degraded') {
        found = n;
        expect(result.method).toBe('pre-deploy');
        expect(result.phi).toBeGreaterThan(0.6);
        expect(result.effect.estimate).toBeGreaterThan(0.03);
        expect(result.effect.low).toBeGreaterThan(0);
        expect(result.reason).toMatch(/drifts \+\d+\.\d% per hour .*boundary/);
      }
    }
    expect(found).not.toBeNull();
  });

  it('says healthy at the end of a steady watch, and is inconclusive before 5 points', () => {
    const { before, after } = split(simulateGauge(steady, 8));
    const options = { direction: 'increase' as const, intervalMs: minute, before };
    expect(detectDriftSinceDeploy(after, options).result).toBe('healthy');
    const early = detectDriftSinceDeploy(after.slice(0, 4), options);
    expect(early.result).toBe('inconclusive');
    expect(early.reason).toContain('5 needed');
  });

  it('watches the configured direction only', () => {
    const { before, after } = split(
      simulateGauge({ ...steady, leakPerMinute: -0.002, leakFrom: 120 }, 9),
      60,
    );
    const down = detectDriftSinceDeploy(after, {
      direction: 'decrease',
      intervalMs: minute,
      before,
    });
    expect(down.result).toBe('degraded');
    expect(down.effect.estimate).toBeLessThan(0);
    const up = detectDriftSinceDeploy(after, { direction: 'increase', intervalMs: minute, before });
    expect(up.result).not.toBe('degraded');
    const either = detectDriftSinceDeploy(after, {
      direction: 'either',
      intervalMs: minute,
      before,
    });
    expect(either.result).toBe('degraded');
    expect(either.boundary!).toBeGreaterThan(down.boundary!);
  });

  it('falls back to the window detector, saying so, without a usable pre-deploy window', () => {
    const { before, after } = split(simulateGauge(steady, 10));
    const short = detectDriftSinceDeploy(after, {
      direction: 'increase',
      intervalMs: minute,
      before: before.slice(-20),
    });
    expect(short.method).toBe('window');
    expect(short.reason).toContain('φ estimated from the watch itself: 20 of 20 points');
    const gappy = detectDriftSinceDeploy(after, {
      direction: 'increase',
      intervalMs: minute,
      before: before.map((v, i) => (i % 3 === 0 ? null : v)),
    });
    expect(gappy.method).toBe('window');
    const unseasoned = detectDriftSinceDeploy(after, {
      direction: 'increase',
      intervalMs: minute,
      before,
      baseline: after.map(() => 100),
    });
    expect(unseasoned.method).toBe('window');
    expect(unseasoned.reason).toContain('no seasonal baseline before the deploy');
  });

  it('measures the drift of the series minus its seasonal baseline in both windows', () => {
    // A daily cycle (±10%) with its trough in the pre-deploy window, rising after the deploy, is
    // no drift once the baseline is removed.
    const scenario = { ...steady, seasonality: 0.1, startMinute: 1020 };
    const series = simulateGauge(scenario, 11);
    const cycle = series.map(
      (_, m) => 100 * (1 + 0.1 * Math.sin((2 * Math.PI * (scenario.startMinute + m)) / 1440)),
    );
    const { before, after } = split(series);
    const options = {
      direction: 'increase' as const,
      intervalMs: minute,
      before,
      threshold: 0.005,
    };
    const raw = detectDriftSinceDeploy(after, options);
    expect(raw.result).toBe('degraded');
    const seasonal = detectDriftSinceDeploy(after, {
      ...options,
      threshold: 0.03,
      baseline: cycle.slice(120),
      beforeBaseline: cycle.slice(0, 120),
    });
    expect(seasonal.method).toBe('pre-deploy');
    expect(seasonal.result).toBe('healthy');
    expect(Math.abs(seasonal.effect.estimate)).toBeLessThan(raw.effect.estimate / 2);
  });

  it('keeps gaps after the deploy out of the fit and projects the limit', () => {
    const { before, after } = split(
      simulateGauge({ ...steady, leakPerMinute: 0.003, leakFrom: 120 }, 12),
      40,
    );
    const result = detectDriftSinceDeploy(
      after.map((v, i) => (i % 7 === 3 ? null : v)),
      { direction: 'increase', intervalMs: minute, before, limit: 150 },
    );
    expect(result.result).toBe('degraded');
    expect(result.points).toBe(34);
    // 150 is about 50 − 12 = 38 percentage points above the fitted line at 0.3 points/min.
    expect(result.limitInMs! / minute).toBeGreaterThan(80);
    expect(result.limitInMs! / minute).toBeLessThan(180);
  });
});
