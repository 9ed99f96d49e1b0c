import { CandorError } from '../core/lib/candor-error.ts';
import { parseWindow } from '../core/lib/parse-window.ts';

/** A positive integer flag; throws CandorError `usage` naming the flag. */
export function parsePositiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new CandorError('usage', `${flag}: expected a positive integer, got "${value}"`);
  }
  return n;
}

/** A window flag such as `14d` in milliseconds; throws CandorError `usage` naming the flag. */
export function parseWindowFlag(value: string, flag: string): number {
  const window = parseWindow(value);
  if (!window.ok) throw new CandorError('usage', `${flag}: ${window.errors[0] ?? ''}`);
  return window.value;
}

/** Text made safe for one Markdown table cell. */
export function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
