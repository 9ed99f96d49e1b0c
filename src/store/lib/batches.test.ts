import { describe, expect, it } from 'vitest';
import { batches, maxRowsPerStatement, rowsPerStatement } from './batches.ts';

describe('rowsPerStatement', () => {
  it.each([
    ['SQLite, a 10-column row', 32_766, 10, 0, maxRowsPerStatement],
    ['a small limit, a 10-column row', 100, 10, 0, 10],
    ['a small limit, 3 other parameters', 100, 10, 3, 9],
    ['an IN list beside 2 parameters', 40, 1, 2, 38],
    ['a row wider than the limit', 5, 13, 0, 1],
    ['a width of 0 taken as 1', 50, 0, 0, 50],
  ])('gives %s', (_case, maxParameters, width, fixed, expected) => {
    expect(rowsPerStatement({ maxParameters }, width, fixed)).toBe(expected);
  });
});

describe('batches', () => {
  it('yields every value once, in order, in slices the policy allows', () => {
    const values = Array.from({ length: 23 }, (_, i) => i);
    const parts = [...batches({ maxParameters: 21 }, values, 2, 1)];
    expect(parts.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(parts.flat()).toEqual(values);
  });

  it('yields nothing for no values', () => {
    expect([...batches({ maxParameters: 10 }, [], 1)]).toEqual([]);
  });
});
