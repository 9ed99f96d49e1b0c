import { normalCdf, normalQuantile, normalSf } from '../canary/normal-distribution.ts';

/** An AR(1) model of a gauge's noise, fitted on the intervals before the deploy. */
export type Ar1Fit = {
  /** Mean of the points. */
  level: number;
  /** Lag-1 coefficient, bias-corrected. */
  phi: number;
  /** Innovation standard deviation (the noise the previous point does not explain). */
  sigma: number;
  /** Finite points, and consecutive pairs of them the fit used. */
  points: number;
  pairs: number;
};

/** φ is kept inside these bounds: beyond 0.98 a gauge is a random walk, not a level with noise. */
export const phiBounds = { low: -0.9, high: 0.98 } as const;

/**
 * Conditional least squares on the consecutive finite pairs (x_{t−1}, x_t): x_t = c + φ x_{t−1}
 * + ε_t, φ̂ = Σ(x_{t−1} − x̄₋)(x_t − x̄₊) ÷ Σ(x_{t−1} − x̄₋)², then raised by Kendall's (1954)
 * bias (1 + 3φ̂)/n and kept within `phiBounds`; σ̂² = Σ ε̂² ÷ (pairs − 2) with that φ̂. Pure.
 */
export function fitAr1(values: readonly number[]): Ar1Fit {
  const finite = values.filter((v) => Number.isFinite(v));
  const points = finite.length;
  const level = points === 0 ? NaN : finite.reduce((a, b) => a + b, 0) / points;
  let pairs = 0;
  let sumPrev = 0;
  let sumNext = 0;
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1]!;
    const b = values[i]!;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      pairs++;
      sumPrev += a;
      sumNext += b;
    }
  }
  if (pairs < 3) return { level, phi: NaN, sigma: NaN, points, pairs };
  const meanPrev = sumPrev / pairs;
  const meanNext = sumNext / pairs;
  let sxy = 0;
  let sxx = 0;
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1]!;
    const b = values[i]!;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      sxy += (a - meanPrev) * (b - meanNext);
      sxx += (a - meanPrev) ** 2;
    }
  }
  const raw = sxx > 0 ? sxy / sxx : 0;
  const phi = Math.min(phiBounds.high, Math.max(phiBounds.low, raw + (1 + 3 * raw) / points));
  let rss = 0;
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1]!;
    const b = values[i]!;
    if (Number.isFinite(a) && Number.isFinite(b)) rss += (b - meanNext - phi * (a - meanPrev)) ** 2;
  }
  return { level, phi, sigma: Math.sqrt(rss / Math.max(1, pairs - 2)), points, pairs };
}

/** The GLS fit of level + slope since the deploy at one look. */
export type OnsetFit = {
  level: number;
  /** Slope per interval since the deploy (the first point after it is 1 slope above the level). */
  slope: number;
  /** Standard error of `slope` with φ and σ taken as known. */
  se: number;
};

/**
 * Generalized least squares of y_t = level + slope·h_t + AR(1) noise with φ and σ known, h_t = 0
 * before the deploy and t + 1 at the t-th point after it (a slope starting at the deploy), by the
 * Prais–Winsten transformation (1954): the first finite point scaled by √(1 − φ²), each later one
 * minus φ^k times the previous finite one (k intervals earlier: gaps are exact), divided by
 * √((1 − φ^{2k}) ÷ (1 − φ²)); then ordinary least squares, se = σ √[(X̃ᵀX̃)⁻¹]₂₂. NaN points are
 * gaps. Pure; O(before + after).
 */
export function fitSlopeOnset(
  before: readonly number[],
  after: readonly number[],
  phi: number,
  sigma: number,
): OnsetFit {
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let sy1 = 0;
  let sy2 = 0;
  let previous: { at: number; y: number; h: number } | null = null;
  const one = 1 - phi * phi;
  const add = (at: number, y: number, h: number) => {
    if (!Number.isFinite(y)) return;
    let a: number;
    let b: number;
    let v: number;
    if (previous === null) {
      const w = Math.sqrt(one);
      a = w;
      b = w * h;
      v = w * y;
    } else {
      const k = at - previous.at;
      const pk = phi ** k;
      const scale = 1 / Math.sqrt((1 - pk * pk) / one);
      a = (1 - pk) * scale;
      b = (h - pk * previous.h) * scale;
      v = (y - pk * previous.y) * scale;
    }
    s11 += a * a;
    s12 += a * b;
    s22 += b * b;
    sy1 += a * v;
    sy2 += b * v;
    previous = { at, y, h };
  };
  for (let i = 0; i < before.length; i++) add(i - before.length, before[i]!, 0);
  for (let i = 0; i < after.length; i++) add(i, after[i]!, i + 1);
  const det = s11 * s22 - s12 * s12;
  if (!(det > 0)) return { level: NaN, slope: NaN, se: NaN };
  const slope = (s11 * sy2 - s12 * sy1) / det;
  const level = (s22 * sy1 - s12 * sy2) / det;
  return { level, slope, se: sigma * Math.sqrt(s11 / det) };
}

/**
 * The information 1/Var(slope) (σ = 1) at each look n = 1..looks of `fitSlopeOnset` with `before`
 * contiguous points and no gaps: what the boundary depends on. O(before + looks).
 */
export function onsetInformation(before: number, looks: number, phi: number): number[] {
  const one = 1 - phi * phi;
  const w = Math.sqrt(one);
  let s11 = before > 0 ? one + (before - 1) * (1 - phi) ** 2 : 0;
  let s12 = 0;
  let s22 = 0;
  const out: number[] = [];
  for (let t = 0; t < looks; t++) {
    // The t-th point after the deploy: h = t + 1, the previous point's h = t (0 before).
    const first = before === 0 && t === 0;
    const a = first ? w : 1 - phi;
    const b = first ? w : t + 1 - phi * t;
    s11 += a * a;
    s12 += a * b;
    s22 += b * b;
    out.push((s11 * s22 - s12 * s12) / s11);
  }
  return out;
}

const gridLow = -7.5;

/**
 * P(Z_k ≥ c for some k) for Z_k = S_k/√I_k, S a Brownian motion observed at information I_1 <
 * … < I_K (the canonical joint distribution of an efficient estimate's z on nested data:
 * Corr(Z_j, Z_k) = √(I_j/I_k); Jennison & Turnbull 2000, ch. 3): the density of Z_k on the
 * paths still below c, carried look to look on a grid by the trapezoid rule (the recursive
 * integration of Armitage, McPherson & Rowe 1969). The reference for `crossingBound`; too slow for
 * every evaluation (O(K·G²), G ≈ (c + 7.5)/gridStep; its error is O(gridStep²), 0.7% at 0.06). Pure.
 */
export function crossingProbability(
  information: readonly number[],
  c: number,
  gridStep = 0.05,
): number {
  if (information.length === 0) return 0;
  const g = Math.max(2, Math.ceil((c - gridLow) / gridStep) + 1);
  const h = (c - gridLow) / (g - 1);
  const xs = new Float64Array(g);
  for (let i = 0; i < g; i++) xs[i] = gridLow + i * h;
  const invRoot = 1 / Math.sqrt(2 * Math.PI);
  let density = new Float64Array(g);
  for (let i = 0; i < g; i++) density[i] = invRoot * Math.exp(-0.5 * xs[i]! * xs[i]!);
  let next = new Float64Array(g);
  for (let k = 1; k < information.length; k++) {
    const rho = Math.sqrt(information[k - 1]! / information[k]!);
    const s = Math.sqrt(Math.max(1e-12, 1 - rho * rho));
    const norm = invRoot / s;
    // Only the grid points within 8 kernel widths of y contribute (e^{-32} of the rest).
    const reach = (6 * s) / rho / h;
    for (let j = 0; j < g; j++) {
      const y = xs[j]!;
      const centre = (y / rho - gridLow) / h;
      const from = Math.max(0, Math.floor(centre - reach));
      const to = Math.min(g - 1, Math.ceil(centre + reach));
      let sum = 0;
      for (let i = from; i <= to; i++) {
        const u = (y - rho * xs[i]!) / s;
        const w = i === 0 || i === g - 1 ? 0.5 : 1;
        sum += w * density[i]! * Math.exp(-0.5 * u * u);
      }
      next[j] = sum * h * norm;
    }
    [density, next] = [next, density];
  }
  let mass = 0;
  for (let i = 0; i < g; i++) mass += (i === 0 || i === g - 1 ? 0.5 : 1) * density[i]!;
  return Math.min(1, Math.max(0, 1 - mass * h - lowTail));
}

/** P(Z < −7.5): the mass the grid leaves out below (it stays out: a constant, negligible). */
const lowTail = 3.19e-14;

/**
 * An upper bound on `crossingProbability`: P(Z_1 ≥ c) + Σ_k P(Z_{k−1} < c ≤ Z_k) (the chance of
 * an up-crossing at some look; exact but for paths that cross twice, which at c ≈ 3.5 are rare),
 * each term ∫_c^∞ φ(x) Φ((c − ρ_k x)/√(1 − ρ_k²)) dx by composite Simpson over 32 intervals.
 * Pure; O(K).
 */
export function crossingBound(information: readonly number[], c: number): number {
  if (information.length === 0) return 0;
  let total = normalSf(c);
  const intervals = 32;
  for (let k = 1; k < information.length; k++) {
    const rho = Math.sqrt(information[k - 1]! / information[k]!);
    const s = Math.sqrt(Math.max(1e-15, 1 - rho * rho));
    // The integrand in u = x − c: φ(c + u) Φ((c(1 − ρ) − ρu)/s); past `span` it is below e^{-12} of its start.
    const span = Math.min(12 / Math.max(c, 0.5), (Math.max(0, (1 - rho) * c) + 8 * s) / rho);
    const step = span / intervals;
    let sum = 0;
    for (let i = 0; i <= intervals; i++) {
      const u = i * step;
      const w = i === 0 || i === intervals ? 1 : i % 2 === 1 ? 4 : 2;
      const x = c + u;
      sum += w * Math.exp(-0.5 * x * x) * normalCdf((c * (1 - rho) - rho * u) / s);
    }
    total += (sum * step) / 3 / Math.sqrt(2 * Math.PI);
  }
  return Math.min(1, total);
}

const boundaries = new Map<string, number>();

/**
 * The constant boundary c with `crossingBound` = α for the looks' information (a Pocock-type
 * boundary on the z scale, Pocock 1977; the chance of any crossing is then at most α), by the
 * secant method on log P. Memoized on α and the information ratios. Pure.
 */
export function constantBoundary(information: readonly number[], alpha: number): number {
  const last = information.at(-1) ?? 1;
  const key = `${alpha}|${information.map((v) => (v / last).toPrecision(4)).join(',')}`;
  const known = boundaries.get(key);
  if (known !== undefined) return known;
  const target = Math.log(alpha);
  const f = (c: number) => Math.log(Math.max(1e-300, crossingBound(information, c))) - target;
  let c0 = -normalQuantile(alpha);
  let c1 = -normalQuantile(alpha / Math.max(1, Math.min(information.length, 12)));
  let f0 = f(c0);
  let f1 = f(c1);
  for (let i = 0; i < 20 && Math.abs(f1) > 1e-5; i++) {
    const c2 = c1 - (f1 * (c1 - c0)) / (f1 - f0);
    c0 = c1;
    f0 = f1;
    c1 = Math.min(8, Math.max(0.5, c2));
    f1 = f(c1);
  }
  if (boundaries.size > 1000) boundaries.clear();
  boundaries.set(key, c1);
  return c1;
}

const onsetBoundaries = new Map<string, number>();

/**
 * `constantBoundary` for `fitSlopeOnset`'s looks firstLook..looks after `before` contiguous
 * points at φ, memoized on those numbers (the key the watch's metrics share). Pure.
 */
export function onsetBoundary(
  before: number,
  looks: number,
  firstLook: number,
  phi: number,
  alpha: number,
): number {
  const key = `${before}|${looks}|${firstLook}|${phi}|${alpha}`;
  const known = onsetBoundaries.get(key);
  if (known !== undefined) return known;
  const c = constantBoundary(onsetInformation(before, looks, phi).slice(firstLook - 1), alpha);
  if (onsetBoundaries.size > 1000) onsetBoundaries.clear();
  onsetBoundaries.set(key, c);
  return c;
}
