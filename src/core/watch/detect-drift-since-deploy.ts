import { normalSf } from '../canary/normal-distribution.ts';
import {
  detectDrift,
  isWithinThreshold,
  type DriftOptions,
  type DriftResult,
} from './detect-drift.ts';
import { fitAr1, fitSlopeOnset, onsetBoundary, phiBounds } from './fit-slope-onset.ts';

export type DriftSinceDeployOptions = DriftOptions & {
  /** The intervals just before the deploy, in time order (the last one ends at the deploy). */
  before: readonly (number | null)[];
  /** The seasonal baseline of `before` (the same minutes on earlier days); needed with `baseline`. */
  beforeBaseline?: readonly (number | null)[] | undefined;
  /** How many times the whole watch evaluates (window ÷ interval): the boundary spends α over them. Default 120. */
  looks?: number | undefined;
  /** The chance of any false alarm over a whole healthy watch. Default 1/1000. */
  watchAlpha?: number | undefined;
  /** φ̂ is raised by this many of its standard errors √((1 − φ̂²)/n) before the test. Default 0.5. */
  phiMargin?: number | undefined;
  /** Points after the deploy before the first look. Default 5. */
  firstLook?: number | undefined;
  /** A pre-deploy window with fewer finite points than this (or under 80% of its intervals) is unusable. Default 30. */
  minimumBefore?: number | undefined;
};

export type DriftSinceDeployResult = DriftResult & {
  /** `pre-deploy`: φ and σ from the window before the deploy; `window`: today's detector on the watch alone. */
  method: 'pre-deploy' | 'window';
  /** The pre-deploy AR(1) coefficient and the boundary z had to reach (pre-deploy only). */
  phi: number | null;
  boundary: number | null;
  z: number | null;
};

const hourMs = 3_600_000;
const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;

/**
 * The Student-t quantile with ν degrees of freedom at the normal quantile z's tail (Fisher's
 * expansion, Abramowitz & Stegun 26.7.5): σ is estimated, so z is a t.
 */
export function studentized(z: number, nu: number): number {
  if (!(nu > 0)) return z;
  const z2 = z * z;
  return (
    z +
    (z * (z2 + 1)) / (4 * nu) +
    (z * (5 * z2 * z2 + 16 * z2 + 3)) / (96 * nu * nu) +
    (z * (3 * z2 * z2 * z2 + 19 * z2 * z2 + 17 * z2 - 15)) / (384 * nu ** 3)
  );
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[n >> 1]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

const toNumbers = (values: readonly (number | null)[]) =>
  values.map((v) => (v === null || !Number.isFinite(v) ? NaN : v));

/**
 * Slow drift since the deploy with the gauge's noise learnt before it (STATISTICS.md "Calibration
 * of the drift detector"): φ and the innovation σ from the `before` window by conditional least
 * squares (`fitAr1`; φ raised by half its standard error), then at each look the GLS slope of
 * a slope starting at the deploy over before + after (`fitSlopeOnset`, the level estimated with it), z = slope ÷ se one-sided in the
 * bad direction, against the constant boundary that keeps the chance of any crossing over the
 * watch's `looks` at most `watchAlpha` (`constantBoundary`, as a Student t on the pre-deploy
 * residuals' degrees of freedom; `either` spends half per side).
 * `degraded`: z reaches the boundary and the drift is at least `threshold` per hour; `healthy`:
 * the repeated confidence interval (slope ± boundary·se, valid at every look at once) excludes
 * `threshold`; else `inconclusive`. With a `baseline`, both windows are measured minus theirs.
 * Without a usable pre-deploy window (too short, gaps, no variation, a baseline without
 * `beforeBaseline`), `detectDrift` on the watch alone, saying so. Pure.
 */
export function detectDriftSinceDeploy(
  input: readonly (number | null)[],
  options: DriftSinceDeployOptions,
): DriftSinceDeployResult {
  const minimumBefore = options.minimumBefore ?? 30;
  const firstLook = options.firstLook ?? 5;
  const threshold = options.threshold ?? 0.03;
  const watchAlpha = options.watchAlpha ?? 1 / 1000;
  let after = toNumbers(input);
  let before = toNumbers(options.before);
  let unusable: string | null = null;
  if (options.baseline !== undefined) {
    if (options.beforeBaseline === undefined) unusable = 'no seasonal baseline before the deploy';
    else {
      const known = [...options.beforeBaseline, ...options.baseline].filter(
        (v): v is number => v !== null && Number.isFinite(v),
      );
      const level = known.length === 0 ? 0 : medianOf(known);
      const minus = (values: number[], baseline: readonly (number | null)[]) =>
        values.map((v, i) => {
          const b = baseline[i];
          return b === null || b === undefined || !Number.isFinite(b) ? NaN : v - b + level;
        });
      after = minus(after, options.baseline);
      before = minus(before, options.beforeBaseline);
    }
  }
  const fit = fitAr1(before);
  if (unusable === null) {
    if (fit.points < minimumBefore || fit.points < 0.8 * before.length)
      unusable = `${fit.points} of ${before.length} points before the deploy, ${Math.max(minimumBefore, Math.ceil(0.8 * before.length))} needed`;
    else if (!(fit.sigma > 0) || !Number.isFinite(fit.phi))
      unusable = 'no variation before the deploy';
  }
  if (unusable !== null) {
    const result = detectDrift(input, options);
    return {
      ...result,
      method: 'window',
      phi: null,
      boundary: null,
      z: null,
      reason: `${result.reason} (φ estimated from the watch itself: ${unusable})`,
    };
  }
  const points = after.filter((v) => Number.isFinite(v)).length;
  const empty = {
    effect: { estimate: NaN, low: NaN, high: NaN },
    slopePerHour: NaN,
    pValue: NaN,
    varianceFactor: 1,
    limitInMs: null,
    method: 'pre-deploy' as const,
    phi: fit.phi,
    boundary: null,
    z: null,
  };
  if (after.length < firstLook || points === 0)
    return {
      ...empty,
      result: 'inconclusive',
      points,
      reason:
        points === 0 && after.length >= firstLook
          ? 'no point measured since the deploy'
          : `${after.length} intervals since the deploy, ${firstLook} needed`,
    };
  const looks = Math.max(options.looks ?? 120, after.length);
  // φ̂ errs by about √((1 − φ²)/n); too low a φ under-states the slope's error, so the test
  // uses φ̂ raised by half that (measured: the A/A rate at φ̂ itself exceeds the promise).
  const phi = Math.min(
    phiBounds.high,
    fit.phi +
      (options.phiMargin ?? 0.5) * Math.sqrt(Math.max(0, 1 - fit.phi * fit.phi) / fit.points),
  );
  // The boundary depends on φ only through the looks' information ratios, and barely (it falls
  // from 3.84 at φ = 0 to 3.77 at 0.98 for 116 looks at 1/360): it is computed at φ rounded down
  // to a multiple of 0.05 (the larger boundary), so the metrics of a watch share a few.
  const phiForBoundary = Math.floor(phi * 20 + 1e-9) / 20;
  const sides = options.direction === 'either' ? 2 : 1;
  const boundary = studentized(
    onsetBoundary(before.length, looks, firstLook, phiForBoundary, watchAlpha / sides),
    fit.pairs - 2,
  );
  const line = fitSlopeOnset(before, after, phi, fit.sigma);
  const z = line.slope / line.se;
  const scale = Math.abs(line.level) > 0 ? Math.abs(line.level) : 1;
  const perHour = hourMs / options.intervalMs;
  const relative = (slope: number) => (slope * perHour) / scale;
  const effect = {
    estimate: relative(line.slope),
    low: relative(line.slope - boundary * line.se),
    high: relative(line.slope + boundary * line.se),
  };
  const up = z >= boundary && effect.estimate >= threshold;
  const down = -z >= boundary && effect.estimate <= -threshold;
  const degraded =
    options.direction === 'increase' ? up : options.direction === 'decrease' ? down : up || down;
  const healthy = isWithinThreshold(effect, threshold, options.direction);
  const pValue =
    options.direction === 'increase'
      ? normalSf(z)
      : options.direction === 'decrease'
        ? normalSf(-z)
        : Math.min(1, 2 * normalSf(Math.abs(z)));
  let limitInMs: number | null = null;
  if (options.limit !== undefined && line.slope !== 0 && Number.isFinite(line.slope)) {
    const fitted = line.level + line.slope * after.length;
    const steps = (options.limit - fitted) / line.slope;
    limitInMs = steps > 0 ? steps * options.intervalMs : null;
  }
  const basis = `GLS slope since the deploy, φ = ${phi.toFixed(2)} and σ from ${fit.points} points before it; z = ${z.toFixed(2)}, boundary ${boundary.toFixed(2)} for ${looks - firstLook + 1} looks at ${(watchAlpha * 100).toPrecision(2)}% per watch`;
  const ci = `repeated CI ${pct(effect.low)} to ${pct(effect.high)}`;
  const reason = degraded
    ? `drifts ${pct(effect.estimate)} per hour (${ci}; ${basis})` +
      (limitInMs !== null
        ? `; reaches ${options.limit} in ${Math.round(limitInMs / 60_000)} min`
        : '')
    : healthy
      ? `no drift of ${pct(options.direction === 'decrease' ? -threshold : threshold)}/h or more (${ci}; ${basis})`
      : `cannot tell yet: ${pct(effect.estimate)} per hour (${ci}), threshold ${pct(threshold)}/h (${basis})`;
  return {
    result: degraded ? 'degraded' : healthy ? 'healthy' : 'inconclusive',
    effect,
    slopePerHour: line.slope * perHour,
    pValue,
    varianceFactor: 1,
    points,
    limitInMs,
    reason,
    method: 'pre-deploy',
    phi,
    boundary,
    z,
  };
}
