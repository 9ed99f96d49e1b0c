/**
 * The former home of `durationStats`, `quantile` and `DurationStats`: import them from
 * `./stats.ts`. TODO(issue 8): delete this file once the shells no longer import it (they are
 * being rewritten in parallel; pointing them here now would only make their merge conflict).
 */
export { durationStats, quantile, type DurationStats } from './stats.ts';
