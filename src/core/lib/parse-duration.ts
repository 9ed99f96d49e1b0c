import { z } from 'zod';
import { fail, ok, type Result } from './result.ts';
import { dayMs, hourMs, minuteMs } from './time.ts';

const unitMs = { ms: 1, s: 1_000, m: minuteMs, h: hourMs, d: dayMs } as const;

/**
 * A duration such as `500ms`, `30s`, `5m`, `2h` or `1d` in milliseconds (a bare number is
 * refused: the unit is never guessed); an error message otherwise. Never throws.
 */
export function parseDuration(text: string): Result<number, string> {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!match) return fail(`expected a duration such as 30s, 5m or 2h, got "${text}"`);
  const ms = Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  return ms > 0 ? ok(ms) : fail(`the duration must be longer than zero, got "${text}"`);
}

/** A duration in a config file (`30s`, `5m`), parsed to milliseconds. */
export const DurationText = z.string().transform((text, context) => {
  const parsed = parseDuration(text);
  if (parsed.ok) return parsed.value;
  context.addIssue({ code: 'custom', message: parsed.errors.join('; ') });
  return z.NEVER;
});
