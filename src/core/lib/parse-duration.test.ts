import { describe, expect, it } from 'vitest';
import { DurationText, parseDuration } from './parse-duration.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5m', 90_000],
    [' 2h ', 7_200_000],
    ['1d', 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it.each(['30', '5 minutes', '-1s', '0s', 's', ''])('refuses %j', (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });

  it('is a config schema that names the expected form', () => {
    expect(DurationText.parse('5m')).toBe(300_000);
    const parsed = DurationText.safeParse('5');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('expected a duration such as 30s');
  });
});
