import { seededRandom } from '../../lib/seeded-random.ts';

/** A standard normal draw (Box–Muller) from a uniform generator. */
function gaussian(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

export type GaugeScenario = {
  minutes: number;
  /** Level of the healthy series. */
  level: number;
  /** Marginal standard deviation of the AR(1) noise, relative to the level. */
  noise: number;
  phi: number;
  /** Amplitude of the daily cycle, relative to the level (0.1 = ±10%). */
  seasonality: number;
  /** Minute of day at which the series starts. */
  startMinute: number;
  /** A leak from `leakFrom` on: relative increase per minute (0.001 = 1% per 10 minutes). */
  leakPerMinute?: number;
  leakFrom?: number;
};

/**
 * A one-minute gauge: level × (1 + seasonality·sin(2π·minute/1440)) plus AR(1) noise with the
 * given marginal deviation, plus an optional linear leak. Seeded: the same seed gives the same
 * series. For calibration tests and bench part (j).
 */
export function simulateGauge(scenario: GaugeScenario, seed: number): number[] {
  const normal = gaussian(seededRandom(seed));
  const sd = scenario.noise * scenario.level;
  const innovation = sd * Math.sqrt(1 - scenario.phi * scenario.phi);
  let noise = normal() * sd;
  const out: number[] = [];
  for (let m = 0; m < scenario.minutes; m++) {
    if (m > 0) noise = scenario.phi * noise + normal() * innovation;
    const minuteOfDay = scenario.startMinute + m;
    const season = 1 + scenario.seasonality * Math.sin((2 * Math.PI * minuteOfDay) / 1440);
    const leak =
      scenario.leakPerMinute !== undefined && m >= (scenario.leakFrom ?? 0)
        ? scenario.leakPerMinute * (m - (scenario.leakFrom ?? 0) + 1)
        : 0;
    out.push(scenario.level * (season + leak) + noise);
  }
  return out;
}
