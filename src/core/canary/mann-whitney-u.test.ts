import { describe, expect, it } from 'vitest';
import { alternatives, mannWhitneyU } from './mann-whitney-u.ts';
import references from './__fixtures__/scipy-references.json' with { type: 'json' };

/** The brief's tolerance: p-values equal scipy's to 1e-9 (here relative, which is stricter). */
const TOLERANCE = 1e-9;
const nan = (values: (number | null)[]) => values.map((v) => v ?? Number.NaN);

describe('mannWhitneyU', () => {
  const cases = references.mannWhitneyU.flatMap((c) =>
    alternatives.map((alternative) => ({ ...c, alternative, expected: c.results[alternative] })),
  );

  it.each(cases)(
    'equals scipy mannwhitneyu(asymptotic, continuity) on "$name", $alternative',
    ({ x, y, alternative, expected }) => {
      const result = mannWhitneyU(nan(x), nan(y), { alternative });
      if (!result.ok) throw new Error(result.errors.join());
      expect(result.value.statistic).toBe(expected.statistic);
      const { pValue } = result.value;
      expect(Math.abs(pValue - expected.pValue)).toBeLessThanOrEqual(
        TOLERANCE * Math.max(expected.pValue, Number.MIN_VALUE),
      );
    },
  );

  it('returns an error value when a sample has no value that is not NaN', () => {
    expect(mannWhitneyU([Number.NaN], [1, 2]).ok).toBe(false);
    expect(mannWhitneyU([1], []).ok).toBe(false);
  });

  it('gives p = 1 when every value is tied', () => {
    const result = mannWhitneyU([2, 2, 2], [2, 2]);
    expect(result.ok && result.value.pValue).toBe(1);
  });
});
