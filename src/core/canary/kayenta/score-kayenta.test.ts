import { describe, expect, it } from 'vitest';
import { classifyKayentaScore, roundHalfUp, scoreKayenta } from './score-kayenta.ts';

describe('roundHalfUp', () => {
  it.each([
    [33.333333333333336, 33.33],
    [4.999999999999999, 5],
    [0.125, 0.13],
    [2.675, 2.68], // the decimal string is 2.675: half-up, unlike toFixed's binary 2.67
    [100, 100],
    [-1.005, -1.01],
  ])('rounds %d to %d at 2 decimals (commons-math Precision.round)', (value, expected) => {
    expect(roundHalfUp(value, 2)).toBe(expected);
  });
});

describe('scoreKayenta', () => {
  it('leaves muted metrics out and scores nothing as 0', () => {
    const score = scoreKayenta(
      [{ name: 'm', classification: 'High', groups: ['g'], critical: false, muted: true }],
      {},
    );
    expect(score).toMatchObject({ summaryScore: 0, groupScores: [] });
  });
});

describe('classifyKayentaScore', () => {
  it.each([
    [95, 'Pass'],
    [75, 'Marginal'],
    [74.99, 'Fail'],
  ] as const)('classifies %d against 95/75 as %s', (score, expected) => {
    expect(classifyKayentaScore(score, { pass: 95, marginal: 75 })).toBe(expected);
  });
});
