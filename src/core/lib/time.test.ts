import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayMs,
  daysBetween,
  hourMs,
  mondayOf,
  toIsoDate,
  toSeconds,
  weekMs,
} from './time.ts';

describe('time units', () => {
  it('are consistent with each other and with Date', () => {
    expect(dayMs).toBe(24 * hourMs);
    expect(weekMs).toBe(7 * dayMs);
    expect(Date.parse('2026-11-02T00:00:00Z') - Date.parse('2026-11-01T00:00:00Z')).toBe(dayMs);
    expect(toSeconds(90_500)).toBe(90.5);
  });
});

describe('toIsoDate', () => {
  it('gives the UTC date, whatever the time of day', () => {
    expect(toIsoDate(new Date('2026-11-22T23:59:59.999Z'))).toBe('2026-11-22');
    expect(toIsoDate(new Date('2026-11-23T00:30:00+01:00'))).toBe('2026-11-22');
  });
});

describe('addDays', () => {
  it.each([
    ['2026-11-01', 30, '2026-12-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-03-29', 0, '2026-03-29'],
  ])('%s plus %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-11-01', '2026-11-20', 19],
    ['2026-11-20', '2026-11-01', -19],
    ['2026-12-31', '2027-01-01', 1],
    ['2026-05-05', '2026-05-05', 0],
  ])('from %s to %s is %i days', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });
});

describe('mondayOf', () => {
  it.each([
    ['2026-11-23', '2026-11-23'], // a Monday
    ['2026-11-29', '2026-11-23'], // the Sunday after it
    ['2026-11-25', '2026-11-23'],
    ['2027-01-01', '2026-12-28'], // across a year
  ])('puts %s in the week of %s', (day, monday) => {
    expect(mondayOf(day)).toBe(monday);
  });
});
