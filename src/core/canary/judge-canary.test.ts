import { describe, expect, it } from 'vitest';
import { parseCanaryInput } from './canary-input.ts';
import { CanaryReport } from './canary-report.ts';
import { judgeCanary, type JudgeOptions } from './judge-canary.ts';
import { countSeries, createRandom, latencySeries } from './calibration/simulate-canary.ts';

/** Inputs built from seeded simulations; every report is also checked against its schema. */
function judge(input: unknown, options?: JudgeOptions): CanaryReport {
  const parsed = parseCanaryInput(input);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  const report = judgeCanary(parsed.value, options);
  CanaryReport.parse(report);
  return report;
}

const errors = (seed: number, rateRatio: number, intervals = 60) => {
  const { baseline, canary } = countSeries(createRandom(seed), {
    intervals,
    requests: 5_000,
    canaryShare: 0.5,
    errorRate: 0.01,
    rateRatio,
    dispersion: 0,
  });
  return { name: 'error-rate', kind: 'count', critical: true, baseline, canary };
};
const latency = (seed: number, shift: number, name = 'latency') => {
  const { baseline, canary } = latencySeries(createRandom(seed), {
    intervals: 60,
    phi: 0,
    sigma: 0.02,
    shift,
  });
  return { name, kind: 'distribution', threshold: 0.1, baseline, canary };
};
const healthy = (seed: number) => [errors(seed, 1), latency(seed + 100, 0)];

describe('judgeCanary (default mode)', () => {
  it('promotes a healthy canary with enough data, score 100', () => {
    const report = judge({ metrics: healthy(1) });
    expect(report).toMatchObject({ verdict: 'promote', score: 100, mode: 'default' });
    expect(report.metrics.map((m) => m.result)).toEqual(['pass', 'pass']);
  });

  it('rolls back on a failing critical metric (three times the error rate), naming it', () => {
    const report = judge({ metrics: [errors(2, 3), latency(3, 0)] });
    expect(report.verdict).toBe('rollback');
    expect(report.reasons[0]).toMatch(/^critical metric error-rate failed: /);
    expect(report.metrics[0]).toMatchObject({ result: 'fail', critical: true });
    expect(report.metrics[0]!.effect.low).toBeGreaterThan(0);
  });

  it('rolls back when failing metrics keep the score below marginal even if the rest passed', () => {
    const report = judge({ metrics: [errors(4, 1), latency(5, 0.5)] });
    expect(report).toMatchObject({ verdict: 'rollback', score: 50 });
  });

  it('is inconclusive when a non-critical failure leaves the score between marginal and pass', () => {
    const metrics = [errors(6, 1), latency(7, 0, 'a'), latency(8, 0, 'b'), latency(9, 0.5, 'c')];
    const report = judge({ metrics });
    expect(report).toMatchObject({ verdict: 'inconclusive', score: 75 });
    expect(report.reasons.join('\n')).toContain('c failed');
  });

  it('never promotes on missing data, even when the score reaches pass', () => {
    const passing = Array.from({ length: 19 }, (_, i) => latency(20 + i, 0, `l${i}`));
    const report = judge({
      metrics: [...passing, { name: 'gone', kind: 'gauge', baseline: [1, 2, 3] }],
    });
    expect(report.score).toBe(95);
    expect(report.verdict).toBe('inconclusive');
    expect(report.reasons.join('\n')).toContain('never promoted on missing data');
    expect(report.metrics.at(-1)).toMatchObject({
      result: 'inconclusive',
      reason: 'no data for the canary',
    });
  });

  it('is inconclusive, with the reason, when a source failed', () => {
    const report = judge({
      metrics: [...healthy(10), { name: 'cpu', kind: 'gauge', error: 'prometheus: 503' }],
    });
    expect(report.verdict).toBe('inconclusive');
    expect(report.metrics[2]!.reason).toBe('the source failed: prometheus: 503');
  });

  it('is inconclusive when a critical metric is underpowered, and says what it could detect', () => {
    const report = judge({ metrics: [errors(11, 1, 3), latency(12, 0)] });
    expect(report.verdict).toBe('inconclusive');
    expect(report.metrics[0]!.result).toBe('inconclusive');
    expect(report.metrics[0]!.minimumDetectableEffect).toBeGreaterThan(0.5);
    expect(report.reasons[0]).toMatch(/^critical metric error-rate is inconclusive: .*only detect/);
  });

  it('fails a metric whose canary breaks an absolute condition, whatever the comparison', () => {
    const report = judge({ metrics: [{ ...errors(13, 1), max: 0.005 }, latency(14, 0)] });
    expect(report.verdict).toBe('rollback');
    expect(report.metrics[0]!.reason).toMatch(/rate 1\.0% is above max 0\.5%/);
    const gauge = judge({ metrics: [{ ...latency(15, 0), min: 0.5 }] });
    expect(gauge.metrics[0]!.result).toBe('fail');
  });

  it('passes an error metric without errors in either arm when the canary is confidently below max', () => {
    const none = { events: Array(60).fill(0), total: Array(60).fill(1_000) };
    const metric = { name: 'errors', kind: 'count', critical: true, baseline: none, canary: none };
    expect(judge({ metrics: [{ ...metric, max: 0.02 }] }).verdict).toBe('promote');
    expect(judge({ metrics: [metric] }).verdict).toBe('inconclusive');
  });

  it('is inconclusive without metrics', () => {
    expect(judge({ metrics: [] })).toMatchObject({
      verdict: 'inconclusive',
      reasons: ['no metrics'],
    });
  });

  it('weights metrics: a failing metric of weight 1 next to one of weight 19 scores 95', () => {
    const report = judge({
      metrics: [
        { ...latency(16, 0), weight: 19 },
        { ...latency(17, 0.5, 'small'), weight: 1 },
      ],
    });
    expect(report.score).toBe(95);
    expect(report.groups).toEqual([
      { name: 'latency', score: 100, weight: 19 },
      { name: 'small', score: 0, weight: 1 },
    ]);
  });
});

const flat = (value: number, n: number) => Array<number>(n).fill(value);

describe('judgeCanary (kayenta mode)', () => {
  const shifted = latency(30, 0.5, 'latency');

  it('classifies as NetflixACAJudge and promotes at score ≥ pass', () => {
    const report = judge({ metrics: [latency(31, 0)] }, { mode: 'kayenta' });
    expect(report).toMatchObject({ verdict: 'promote', mode: 'kayenta', score: 100 });
    expect(report.metrics[0]).toMatchObject({ classification: 'Pass', result: 'pass' });
  });

  it("maps Kayenta's Marginal to inconclusive", () => {
    const metrics = [
      latency(32, 0, 'a'),
      latency(33, 0, 'b'),
      latency(34, 0, 'c'),
      { ...shifted, name: 'd' },
    ];
    const report = judge({ metrics, thresholds: { pass: 95, marginal: 75 } }, { mode: 'kayenta' });
    expect(report).toMatchObject({ verdict: 'inconclusive', score: 75 });
    expect(report.reasons[0]).toBe('Kayenta score 75: Marginal');
  });

  it("rolls back on a critical High, reporting Kayenta's critical flag", () => {
    const report = judge(
      { metrics: [{ ...shifted, critical: true }, latency(35, 0, 'other')] },
      { mode: 'kayenta' },
    );
    expect(report).toMatchObject({ verdict: 'rollback', score: 0 });
    expect(report.metrics[0]).toMatchObject({
      classification: 'High',
      critical: true,
      result: 'fail',
    });
    // a configured-critical metric that passes carries Kayenta's flag: false
    expect(
      judge({ metrics: [{ ...latency(36, 0), critical: true }] }, { mode: 'kayenta' }).metrics[0]!
        .critical,
    ).toBe(false);
  });

  it('does not promote with a Nodata metric although Kayenta would pass it', () => {
    const metrics = [
      latency(37, 0, 'a'),
      latency(38, 0, 'b'),
      latency(39, 0, 'c'),
      { name: 'gone', kind: 'gauge' },
    ];
    const report = judge({ metrics }, { mode: 'kayenta' });
    expect(report.score).toBe(100);
    expect(report.verdict).toBe('inconclusive');
    expect(report.metrics[3]).toMatchObject({ classification: 'Nodata', result: 'inconclusive' });
  });

  it("reads Kayenta's keys: mustHaveData turns no data into NodataFailMetric", () => {
    const report = judge(
      {
        metrics: [latency(40, 0), { name: 'gone', kind: 'gauge', kayenta: { mustHaveData: true } }],
      },
      { mode: 'kayenta' },
    );
    expect(report.metrics[1]).toMatchObject({ classification: 'NodataFailMetric', result: 'fail' });
    expect(report).toMatchObject({ verdict: 'rollback', score: 50 });
  });

  it('uses groupWeights as Kayenta does', () => {
    const metrics = [
      { ...latency(41, 0, 'a'), group: 'g1' },
      { ...shifted, name: 'b', group: 'g2' },
    ];
    const report = judge({ metrics, groupWeights: { g1: 75, g2: 25 } }, { mode: 'kayenta' });
    expect(report.score).toBe(75);
    expect(report.groups).toEqual([
      { name: 'g1', score: 100, weight: 75 },
      { name: 'g2', score: 0, weight: 25 },
    ]);
  });

  it("judges count metrics on the per-interval rates and draws Kayenta's noise from the seed", () => {
    const counts = { events: flat(5, 10), total: flat(100, 10) };
    const more = { events: flat(9, 10), total: flat(100, 10) };
    const input = { metrics: [{ name: 'errors', kind: 'count', baseline: counts, canary: more }] };
    const once = judge(input, { mode: 'kayenta', seed: 7 });
    expect(once.metrics[0]!.classification).toBe('High');
    expect(judge(input, { mode: 'kayenta', seed: 7 })).toEqual(once);
  });
});
