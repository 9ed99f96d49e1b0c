import { describe, expect, it } from 'vitest';
import { skippedCases, type ConformanceSkip } from './skipped-cases.ts';

const cases = ['a', 'b', 'c'] as const;

describe('skippedCases', () => {
  it('returns the cases every skip names', () => {
    expect([
      ...skippedCases('suite', cases, [
        { reason: 'r1', tests: ['a'] },
        { reason: 'r2', tests: ['c'] },
      ]),
    ]).toEqual(['a', 'c']);
    expect(skippedCases('suite', cases).size).toBe(0);
  });

  it('throws for a skip whose reason is blank, naming the suite and the cases', () => {
    expect(() => skippedCases('suite', cases, [{ reason: '  ', tests: ['a', 'b'] }])).toThrow(
      'suite: skipping a, b needs a reason',
    );
  });

  it('makes a skip without a reason a type error, and throws for it', () => {
    // @ts-expect-error: a skip must say why (tsc --noEmit checks this line)
    const skip: ConformanceSkip<'a'> = { tests: ['a'] };
    expect(() => skippedCases('suite', cases, [skip])).toThrow('suite: skipping a needs a reason');
  });

  it('throws for a case the suite does not have', () => {
    // A caller without types (or with a cast) could still name a case that does not exist.
    const skip = [{ reason: 'r', tests: ['d'] }] as unknown as { reason: string; tests: 'a'[] }[];
    expect(() => skippedCases('suite', cases, skip)).toThrow('suite: no case "d" to skip');
  });
});
