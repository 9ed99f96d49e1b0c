import { describe, expect, it } from 'vitest';
import { parseNameStatus } from './parse-name-status.ts';

describe('parseNameStatus', () => {
  it('reads each status, renames with both paths, and paths with spaces and newlines', () => {
    const output = [
      'A',
      'new file.txt',
      'M',
      'line\nbreak.md',
      'D',
      'gone.ts',
      'R087',
      'old/name.ts',
      'new/name.ts',
      'C100',
      'a.ts',
      'copy of a.ts',
      'T',
      'link',
      '',
    ].join('\0');
    expect(parseNameStatus(output)).toEqual([
      { path: 'new file.txt', change: 'added' },
      { path: 'line\nbreak.md', change: 'modified' },
      { path: 'gone.ts', change: 'deleted' },
      { path: 'new/name.ts', change: 'renamed', oldPath: 'old/name.ts' },
      { path: 'copy of a.ts', change: 'added', oldPath: 'a.ts' },
      { path: 'link', change: 'modified' },
    ]);
  });

  it('returns nothing for an empty diff and ignores a truncated record', () => {
    expect(parseNameStatus('')).toEqual([]);
    expect(parseNameStatus('R100\0only-old')).toEqual([]);
  });
});
