import { seededRandom } from '../../lib/seeded-random.ts';

/**
 * Generators for calibrating the judge: deterministic (seeded), pure, used by the calibration
 * tests and `npm run bench`. Nothing here judges anything.
 */
export type Random = () => number;

/** A seeded uniform generator on [0, 1) (mulberry32). */
export function createRandom(seed: number): Random {
  return seededRandom(seed);
}

/** A standard normal draw (Box–Muller). */
export function normalDraw(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A stationary AR(1) series with unit marginal variance: xₜ = φxₜ₋₁ + √(1 − φ²)·εₜ. */
export function ar1Series(random: Random, length: number, phi: number): number[] {
  const out: number[] = [];
  const scale = Math.sqrt(1 - phi * phi);
  let x = normalDraw(random);
  for (let t = 0; t < length; t++) {
    if (t > 0) x = phi * x + scale * normalDraw(random);
    out.push(x);
  }
  return out;
}

export type LatencyScenario = {
  intervals: number;
  /** AR(1) coefficient of each arm's noise. */
  phi: number;
  /** Standard deviation of log latency per interval (0.1 ≈ a 10% coefficient of variation). */
  sigma: number;
  /** Relative shift of the canary: 0.5 = +50%. */
  shift: number;
  /** Baseline level, e.g. 0.2 s. */
  level?: number;
};

/** A per-interval latency series per arm: level·exp(σ·AR(1)), the canary shifted by (1 + shift). */
export function latencySeries(
  random: Random,
  scenario: LatencyScenario,
): { baseline: number[]; canary: number[] } {
  const level = scenario.level ?? 0.2;
  const baseline = ar1Series(random, scenario.intervals, scenario.phi).map(
    (x) => level * Math.exp(scenario.sigma * x),
  );
  const canary = ar1Series(random, scenario.intervals, scenario.phi).map(
    (x) => level * (1 + scenario.shift) * Math.exp(scenario.sigma * x),
  );
  return { baseline, canary };
}

export type CountScenario = {
  intervals: number;
  /** Mean requests per interval of the baseline arm. */
  requests: number;
  /** The canary's share of the two arms' traffic (0.5: a baseline of the canary's size). */
  canaryShare: number;
  /** The baseline's error probability per request. */
  errorRate: number;
  /** The canary's error rate relative to the baseline's: 3 = three times as many errors. */
  rateRatio: number;
  /**
   * Overdispersion: each arm's error rate in each interval is multiplied by a Gamma(1/d, d) draw
   * (mean 1, variance d), so errors come in bursts. 0: plain binomial.
   */
  dispersion: number;
  /** Probability that a burst (×`burstFactor` errors for 1–3 intervals) starts in an arm. */
  burstProbability?: number;
  burstFactor?: number;
};

export type CountArm = { events: number[]; total: number[] };

/** Per-interval errors/requests for a baseline and a canary arm. */
export function countSeries(
  random: Random,
  scenario: CountScenario,
): { baseline: CountArm; canary: CountArm } {
  const canaryRequests = (scenario.requests * scenario.canaryShare) / (1 - scenario.canaryShare);
  return {
    baseline: countArm(random, scenario, scenario.requests, scenario.errorRate),
    canary: countArm(random, scenario, canaryRequests, scenario.errorRate * scenario.rateRatio),
  };
}

function countArm(
  random: Random,
  scenario: CountScenario,
  requests: number,
  rate: number,
): CountArm {
  const events: number[] = [];
  const total: number[] = [];
  let burstLeft = 0;
  for (let t = 0; t < scenario.intervals; t++) {
    const n = poissonDraw(random, requests);
    let p =
      rate *
      (scenario.dispersion > 0
        ? gammaDraw(random, 1 / scenario.dispersion) * scenario.dispersion
        : 1);
    if (burstLeft === 0 && random() < (scenario.burstProbability ?? 0))
      burstLeft = 1 + Math.floor(random() * 3);
    if (burstLeft > 0) {
      p *= scenario.burstFactor ?? 10;
      burstLeft--;
    }
    events.push(binomialDraw(random, n, Math.min(p, 1)));
    total.push(n);
  }
  return { events, total };
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), boosted for shape < 1. */
export function gammaDraw(random: Random, shape: number): number {
  if (shape < 1) return gammaDraw(random, shape + 1) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normalDraw(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Poisson(mean): by inversion for small means, normal approximation above 500. */
export function poissonDraw(random: Random, mean: number): number {
  if (mean > 500) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normalDraw(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let product = 1 - random();
  while (product > limit) {
    k++;
    product *= 1 - random();
  }
  return k;
}

/** Binomial(n, p): by its Poisson limit for small n·p, normal above, exact for small n. */
export function binomialDraw(random: Random, n: number, p: number): number {
  if (n <= 50) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random() < p) k++;
    return k;
  }
  const mean = n * p;
  if (mean < 30 && p < 0.05) return Math.min(n, poissonDraw(random, mean));
  const sd = Math.sqrt(mean * (1 - p));
  return Math.min(n, Math.max(0, Math.round(mean + sd * normalDraw(random))));
}
