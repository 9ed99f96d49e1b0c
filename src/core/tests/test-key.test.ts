import { describe, expect, it } from 'vitest';
import { testKey } from './test-key.ts';

describe('testKey', () => {
  it.each([
    [
      { name: 'adds', classname: 'math.Add', file: 'a.py', suitePath: ['s'] },
      undefined,
      'math.Add::adds',
    ],
    [
      { name: 'adds', file: 'tests/a.spec.ts', suitePath: ['s'] },
      undefined,
      'tests/a.spec.ts::adds',
    ],
    [{ name: 'adds', classname: '  ', file: 'f', suitePath: [] }, undefined, 'f::adds'],
    [{ name: 'adds', suitePath: ['outer', 'inner'] }, undefined, 'outer > inner::adds'],
    [{ name: 'adds', suitePath: [] }, undefined, 'adds'],
    [{ name: 'adds', classname: 'math.Add', suitePath: [] }, 'linux', 'math.Add::adds [linux]'],
    [{ name: 'adds', classname: 'math.Add', suitePath: [] }, '', 'math.Add::adds'],
  ])('keys %j with variant %s as %s', (test, variant, expected) => {
    expect(testKey(test, variant)).toBe(expected);
  });
});
