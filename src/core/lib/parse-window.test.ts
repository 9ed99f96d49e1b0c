import { describe, expect, it } from 'vitest';
import { parseWindow } from './parse-window.ts';

describe('parseWindow', () => {
  it.each([
    ['14d', 14 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['2w', 14 * 86_400_000],
    ['90m', 90 * 60_000],
    [' 1.5d ', 1.5 * 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseWindow(text)).toEqual({ ok: true, value: ms });
  });

  it.each(['14', 'd', '14 days', '-1d', '0d', ''])('rejects %j', (text) => {
    expect(parseWindow(text).ok).toBe(false);
  });
});
