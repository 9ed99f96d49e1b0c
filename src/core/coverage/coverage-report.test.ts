import { describe, expect, it } from 'vitest';
import { countLines, eachLine, emptyLineHits, recordHits, reserveLines } from './coverage-report.ts';

describe('reserveLines', () => {
  it('makes room for lines up to the one given, keeping the records and adding none', () => {
    const lines = emptyLineHits();
    recordHits(lines, 3, 2);
    reserveLines(lines, 500);
    expect(lines.hits.length).toBe(501);
    expect([...eachLine(lines)]).toEqual([[3, 2]]);
    recordHits(lines, 500, 0);
    expect(lines.hits.length).toBe(501);
    expect(countLines(lines)).toEqual({ total: 2, covered: 1 });
  });

  it('leaves an array that already has the room as it is', () => {
    const lines = emptyLineHits();
    const before = lines.hits;
    reserveLines(lines, before.length - 1);
    expect(lines.hits).toBe(before);
  });
});
