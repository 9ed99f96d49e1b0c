import { describe, expect, it } from 'vitest';
import { DurationText, formatDuration, parseDuration } from './parse-duration.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1m', 60_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    [' 1.5s ', 1_500],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it.each(['', '10', 'm', '1w', '-1s', '1 m', '0s', '1m x'])('refuses %j', (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });

  it('names the duration it refuses in the schema message', () => {
    const parsed = DurationText.safeParse('ten minutes');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('"ten minutes"');
  });
});

describe('formatDuration', () => {
  it.each([
    [60_000, '1m'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [1_500, '1500ms'],
  ])('writes %i ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });
});

describe('parseDuration, single units (as the rollback actions and release plans use it)', () => {
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
