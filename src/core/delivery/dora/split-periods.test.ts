import { describe, expect, it } from 'vitest';
import { splitPeriods } from './split-periods.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (periods: { from: number; to: number }[]) =>
  periods.map((p) => [new Date(p.from).toISOString(), new Date(p.to).toISOString()]);

describe('splitPeriods', () => {
  it('cuts a window into calendar weeks starting on Monday, clipped to the window', () => {
    // 2026-11-04 is a Wednesday.
    const weeks = splitPeriods(
      { from: at('2026-11-04T12:00:00Z'), to: at('2026-11-17T00:00:00Z') },
      'week',
    );
    expect(iso(weeks)).toEqual([
      ['2026-11-04T12:00:00.000Z', '2026-11-08T23:59:59.999Z'],
      ['2026-11-09T00:00:00.000Z', '2026-11-15T23:59:59.999Z'],
      ['2026-11-16T00:00:00.000Z', '2026-11-17T00:00:00.000Z'],
    ]);
  });

  it('cuts a window into calendar months, across a year', () => {
    const months = splitPeriods(
      { from: at('2026-11-20T00:00:00Z'), to: at('2027-02-01T00:00:00Z') },
      'month',
    );
    expect(iso(months).map(([from]) => from?.slice(0, 10))).toEqual([
      '2026-11-20',
      '2026-12-01',
      '2027-01-01',
      '2027-02-01',
    ]);
    expect(iso(months)[1]?.[1]).toBe('2026-12-31T23:59:59.999Z');
  });

  it('gives nothing for an empty window', () => {
    expect(splitPeriods({ from: 10, to: 9 }, 'week')).toEqual([]);
  });
});
