import { plausibleDurationMs } from './reader-limits.ts';

// Module constants: a regular expression literal makes a new object each time it is evaluated,
// and this runs once per test case.
const needsCleaning = /[\s,]/;
const decimalSeconds = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Seconds as written in a `time` attribute to milliseconds; undefined when absent, not a number
 * or beyond `readerLimits.durationMs` (7 days).
 */
export function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Most values need neither (a thousands separator, spaces): skip building new strings.
  const trimmed = needsCleaning.test(value) ? value.trim().replace(/,/g, '') : value;
  if (trimmed === '' || !decimalSeconds.test(trimmed)) return undefined;
  const seconds = Number(trimmed);
  return Number.isFinite(seconds)
    ? plausibleDurationMs(Math.round(seconds * 1_000_000) / 1_000)
    : undefined;
}
