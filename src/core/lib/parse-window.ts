import { fail, ok, type Result } from './result.ts';
import { dayMs, hourMs, minuteMs, weekMs } from './time.ts';

const unitMs = { m: minuteMs, h: hourMs, d: dayMs, w: weekMs } as const;

/** A window such as `14d`, `12h`, `2w`, `90m` in milliseconds; an error message otherwise. */
export function parseWindow(text: string): Result<number, string> {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$/.exec(text);
  if (!match) return fail(`expected a window such as 14d, 12h, 2w or 90m, got "${text}"`);
  const ms = Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  return ms > 0 ? ok(ms) : fail(`the window must be longer than zero, got "${text}"`);
}
