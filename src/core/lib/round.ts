/**
 * `value` rounded half up (as `Math.round`) to `digits` decimal places: `round(2 / 3, 3)` is
 * 0.667. Reports use 3 places for seconds and 6 for rates. Never throws.
 */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
