import { z } from 'zod';
import { fail, ok, type Result } from './result.ts';

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A duration such as `500ms`, `10s`, `1m`, `1h30m` or `2d` in milliseconds (Prometheus's
 * duration units, without weeks and years); an error message otherwise. Never throws.
 */
export function parseDuration(text: string): Result<number, string> {
  const trimmed = text.trim();
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(trimmed)
    ? [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)]
    : [];
  if (parts.length === 0)
    return fail(`expected a duration such as 30s, 1m, 10m or 1h30m, got "${text}"`);
  const ms = parts.reduce(
    (sum, [, amount, unit]) => sum + Number(amount) * unitMs[unit as keyof typeof unitMs],
    0,
  );
  return ms > 0 ? ok(ms) : fail(`the duration must be longer than zero, got "${text}"`);
}

/** A duration in a config file (`30s`, `5m`, `1h30m`), parsed to milliseconds. */
export const DurationText = z.string().transform((text, context) => {
  const parsed = parseDuration(text);
  if (parsed.ok) return parsed.value;
  context.addIssue({ code: 'custom', message: parsed.errors[0] ?? 'invalid duration' });
  return z.NEVER;
});

/** A duration in milliseconds as Prometheus writes it: `90s` → `1m30s`, `60000` → `1m`. */
export function formatDuration(ms: number): string {
  if (ms % 1_000 !== 0) return `${ms}ms`;
  let seconds = ms / 1_000;
  let text = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (seconds >= size) {
      text += `${Math.floor(seconds / size)}${unit}`;
      seconds %= size;
    }
  }
  return text || '0s';
}
