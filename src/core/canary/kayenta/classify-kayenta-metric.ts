import { averageRanks } from '../average-ranks.ts';
import { quantile } from '../../lib/stats.ts';
import { kayentaMannWhitney } from './kayenta-mann-whitney.ts';
import type { ResolvedKayentaOptions } from './kayenta-options.ts';

export const kayentaLabels = [
  'Pass',
  'High',
  'Low',
  'Nodata',
  'NodataFailMetric',
  'Error',
] as const;
/** Kayenta's `MetricClassificationLabel`. */
export type KayentaLabel = (typeof kayentaLabels)[number];

/** Kayenta's `MetricClassification`: `deviation` is mean(experiment)/mean(control) (NaN if a mean is 0). */
export type KayentaClassification = {
  classification: KayentaLabel;
  reason: string | undefined;
  deviation: number;
  /** True when a critical metric crossed its critical threshold (or had no data). */
  critical: boolean;
  /** The Mann-Whitney interval and estimate behind a High/Low/Pass, when the test ran. */
  test?: { low: number; high: number; estimate: number; effectSize: number } | undefined;
};

const labels = { experiment: 'Canary', control: 'Baseline' } as const;

/**
 * Kayenta's metric transforms, in its order (NetflixACAJudge.transformMetric: NaN handling, then
 * outliers; preprocessing/Transforms.scala): `remove` drops NaN, `replace` sets it to 0; outlier
 * `remove` drops values outside [min(P1, Q1 − k·IQR), max(P99, Q3 + k·IQR)]
 * (IQRDetector(k, reduceSensitivity = true), R-7 percentiles). Never throws.
 */
export function transformKayentaMetric(
  values: readonly number[],
  options: Pick<ResolvedKayentaOptions, 'nanStrategy' | 'outliers'>,
): number[] {
  const clean =
    options.nanStrategy === 'remove'
      ? values.filter((v) => !Number.isNaN(v))
      : values.map((v) => (Number.isNaN(v) ? 0 : v));
  if (options.outliers.strategy === 'keep' || clean.length === 0) return clean;
  const sorted = [...clean].sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const iqr = q3 - q1;
  const k = options.outliers.outlierFactor;
  const lower = Math.min(quantile(sorted, 0.01), q1 - k * iqr);
  const upper = Math.max(quantile(sorted, 0.99), q3 + k * iqr);
  return clean.filter((v) => !(v > upper || v < lower));
}

/**
 * Kayenta's `MannWhitneyClassifier.classify` (kayenta-judge classifiers/metric/
 * MannWhitneyClassifier.scala at a69573be), guard for guard: no data → Nodata (or
 * NodataFailMetric when data is required and the metric is not critical; Pass with `replace`);
 * identical sorted samples or a single distinct value → Pass; both samples constant → Gaussian
 * noise of sd value·1e-5 from `random` (Kayenta's unseeded RandomUtils; seeded here so the answer
 * is reproducible); then High when the Mann-Whitney interval's lower bound exceeds
 * tolerance·|estimate| and the effect size reaches `allowedIncrease` (Low mirrored), critical when
 * a critical metric's effect also crosses `criticalIncrease`/`criticalDecrease`. A NaN effect
 * size skips its check. Every value tied after noise (Kayenta: an exception caught by the judge)
 * → Error, not critical. Inputs are the transformed samples. Never throws.
 */
export function classifyKayentaMetric(
  name: string,
  control: readonly number[],
  experiment: readonly number[],
  options: ResolvedKayentaOptions,
  random: () => number,
): KayentaClassification {
  if (options.classifier === 'meanInequality')
    return classifyMeanInequality(control, experiment, options);
  const empty = emptyClassification(name, control, experiment, options, 1.0);
  if (empty) return empty;
  if (sameSorted(experiment, control))
    return {
      classification: 'Pass',
      reason: `The ${labels.experiment} and ${labels.control} data are identical`,
      deviation: 1.0,
      critical: false,
    };
  if (new Set([...experiment, ...control]).size === 1)
    return { classification: 'Pass', reason: undefined, deviation: 1.0, critical: false };

  const isConstant = new Set(experiment).size === 1 && new Set(control).size === 1;
  const x = isConstant ? addGaussianNoise(experiment, random) : [...experiment];
  const y = isConstant ? addGaussianNoise(control, random) : [...control];
  const test = kayentaMannWhitney(x, y, options.confLevel);
  const [low, high] = test.confidenceInterval;
  if (Number.isNaN(test.estimate) || Number.isNaN(low) || Number.isNaN(high))
    return {
      classification: 'Error',
      reason: 'Metric Classification Failed',
      deviation: Number.NaN,
      critical: false,
    };
  const deviation = meanRatio(y, x);
  const effectSize = options.effectSizeMeasure === 'cles' ? cles(y, x) : deviation;
  const bound = options.tolerance * Math.abs(test.estimate);
  const isHigh =
    options.direction !== 'decrease' &&
    low > bound &&
    (Number.isNaN(effectSize) || effectSize >= options.allowedIncrease);
  const isLow =
    options.direction !== 'increase' &&
    high < -bound &&
    (Number.isNaN(effectSize) || effectSize <= options.allowedDecrease);
  const detail = { low, high, estimate: test.estimate, effectSize };
  const label: KayentaLabel = isHigh ? 'High' : isLow ? 'Low' : 'Pass';
  if (label === 'Pass')
    return { classification: 'Pass', reason: undefined, deviation, critical: false, test: detail };
  const isCriticalFailure =
    options.critical &&
    (Number.isNaN(effectSize) ||
      (label === 'High'
        ? effectSize >= options.criticalIncrease
        : effectSize <= options.criticalDecrease));
  return {
    classification: label,
    reason: isCriticalFailure
      ? `The metric ${name} was classified as ${label} (Critical)`
      : `${name} was classified as ${label}`,
    deviation,
    critical: isCriticalFailure,
    test: detail,
  };
}

/**
 * Kayenta's `MeanInequalityClassifier` (benchmarking only): High when the experiment mean is
 * above the control mean (direction permitting), Low when below, critical = the metric's flag.
 */
export function classifyMeanInequality(
  control: readonly number[],
  experiment: readonly number[],
  options: ResolvedKayentaOptions,
): KayentaClassification {
  const empty = emptyClassification(undefined, control, experiment, options, 0.0);
  if (empty) return empty;
  const experimentMean = mean(experiment);
  const controlMean = mean(control);
  const ratio = experimentMean / controlMean;
  if (options.direction !== 'decrease' && experimentMean > controlMean)
    return {
      classification: 'High',
      reason: `The ${labels.experiment} mean was greater than the ${labels.control} mean`,
      deviation: ratio,
      critical: options.critical,
    };
  if (options.direction !== 'increase' && experimentMean < controlMean)
    return {
      classification: 'Low',
      reason: `The ${labels.experiment} mean was less than the ${labels.control} mean`,
      deviation: ratio,
      critical: options.critical,
    };
  return { classification: 'Pass', reason: undefined, deviation: 1.0, critical: false };
}

/** The shared no-data guard; `name` undefined for the mean-inequality classifier (no reason). */
function emptyClassification(
  name: string | undefined,
  control: readonly number[],
  experiment: readonly number[],
  options: ResolvedKayentaOptions,
  nodataDeviation: number,
): KayentaClassification | undefined {
  if (experiment.length > 0 && control.length > 0) return undefined;
  if (options.nanStrategy === 'replace')
    return { classification: 'Pass', reason: undefined, deviation: 1.0, critical: false };
  const reason = name === undefined ? undefined : `Missing data for ${name}`;
  if (options.mustHaveData && !options.critical)
    return { classification: 'NodataFailMetric', reason, deviation: 1.0, critical: false };
  return {
    classification: 'Nodata',
    reason,
    deviation: nodataDeviation,
    critical: options.critical,
  };
}

function sameSorted(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort((p, q) => p - q);
  const sb = [...b].sort((p, q) => p - q);
  return sa.every((v, i) => v === sb[i]);
}

/** Kayenta's `addGaussianNoise`: sd = the sample's single value × 1e-5 (Box–Muller normals). */
function addGaussianNoise(values: readonly number[], random: () => number): number[] {
  const sd = (values[0] as number) * 1e-5;
  return values.map((v) => v + gaussian(random) * sd);
}

function gaussian(random: () => number): number {
  const u = 1 - random(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** commons-math `StatUtils.mean`: the mean with a second-pass correction. */
export function mean(values: readonly number[]): number {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const first = sum / n;
  let correction = 0;
  for (const v of values) correction += v - first;
  return first + correction / n;
}

/** Kayenta's `EffectSizes.meanRatio(control, experiment)`: NaN when either mean is 0. */
export function meanRatio(control: readonly number[], experiment: readonly number[]): number {
  const c = mean(control);
  const e = mean(experiment);
  return c === 0 || e === 0 ? Number.NaN : e / c;
}

/**
 * Kayenta's `EffectSizes.cles(control, experiment)`: the common-language effect size
 * P(experiment > control) + ½·P(tie) from average ranks (Vargha & Delaney, J. Educ. Behav.
 * Stat. 25 (2000) 101–132).
 */
export function cles(control: readonly number[], experiment: readonly number[]): number {
  const m = experiment.length;
  const n = control.length;
  const { ranks } = averageRanks([...experiment, ...control]);
  let r1 = 0;
  for (let i = 0; i < m; i++) r1 += ranks[i] as number;
  return (2 * r1 - m * (m + 1)) / (2 * n * m);
}
