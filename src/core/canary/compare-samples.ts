import { hodgesLehmannShift } from './hodges-lehmann-shift.ts';
import { mannWhitneyU, type Alternative } from './mann-whitney-u.ts';
import { normalQuantile } from './normal-distribution.ts';
import type { RelativeEffect } from './compare-series.ts';
import { fail, ok, type Result } from '../lib/result.ts';

export type SampleComparison = {
  test: string;
  scale: 'log' | 'linear';
  effect: RelativeEffect;
  /** scipy-equal Mann-Whitney p-value for the alternative the direction names (fixed horizon). */
  pValue: number;
  detectable: { increase: number; decrease: number };
  sizes: { baseline: number; canary: number };
};

export type SampleOptions = {
  alpha?: number | undefined;
  power?: number | undefined;
  /** Which alternative the p-value is for: `greater` for increase, `less` for decrease. */
  alternative?: Alternative | undefined;
};

/**
 * Compares independent raw samples (ordered: false; e.g. individual request latencies): the
 * Mann-Whitney U test (scipy-equal asymptotic p-value, `mannWhitneyU`) and the Hodges–Lehmann
 * shift of canary against baseline with its distribution-free 1 − α interval
 * (`hodgesLehmannShift`). For positive samples the shift is taken on log values, so it reads as
 * a ratio (the median of pairwise ratios − 1); otherwise it is divided by the baseline median.
 * This is a fixed-horizon test: valid for one look, not for repeated looks (the time-series
 * methods are the sequential ones; STATISTICS.md). NaN/null values are dropped; an empty side is
 * an error value. Never throws.
 */
export function compareSamples(
  baseline: readonly (number | null)[],
  canary: readonly (number | null)[],
  options: SampleOptions = {},
): Result<SampleComparison, string> {
  const alpha = options.alpha ?? 0.01;
  const b = finite(baseline);
  const c = finite(canary);
  if (b.length === 0 || c.length === 0)
    return fail(`no values in the ${b.length === 0 ? 'baseline' : 'canary'}`);
  const test = mannWhitneyU(c, b, { alternative: options.alternative ?? 'two-sided' });
  if (!test.ok) return fail(test.errors.join('; '));
  const isLog = b.every((v) => v > 0) && c.every((v) => v > 0);
  const shift = hodgesLehmannShift(
    isLog ? c.map(Math.log) : c,
    isLog ? b.map(Math.log) : b,
    1 - alpha,
  );
  const median = medianOf(b);
  const toRelative = isLog
    ? (v: number) => Math.expm1(v)
    : (v: number) => (median === 0 ? Number.NaN : v / Math.abs(median));
  const z = normalQuantile(1 - alpha / 2);
  const standardError = (shift.high - shift.low) / (2 * z);
  const detectable = (z + normalQuantile(options.power ?? 0.8)) * standardError;
  return ok({
    test: `Mann-Whitney U (asymptotic, tie- and continuity-corrected) with the Hodges-Lehmann ${isLog ? 'log-' : ''}shift and its interval`,
    scale: isLog ? 'log' : 'linear',
    effect: {
      estimate: toRelative(shift.estimate),
      low: toRelative(shift.low),
      high: toRelative(shift.high),
    },
    pValue: test.value.pValue,
    detectable: { increase: toRelative(detectable), decrease: -toRelative(-detectable) },
    sizes: { baseline: b.length, canary: c.length },
  });
}

function finite(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

function medianOf(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
