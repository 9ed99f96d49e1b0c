import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  constantBoundary,
  crossingBound,
  crossingProbability,
  fitAr1,
  fitSlopeOnset,
  onsetInformation,
} from './fit-slope-onset.ts';

// Reference values from NumPy/SciPy: scripts/watch-onset-references.py.
type References = {
  design: { before: number; looks: number; firstLook: number };
  information: { before: number; looks: number; phi: number; values: number[] }[];
  gls: {
    series: (number | null)[];
    before: number;
    phi: number;
    sigma: number;
    level: number;
    slope: number;
    se: number;
  };
  ar1: { phi: number; sigma: number; points: number; pairs: number };
  bound: { phi: number; c: number; value: number }[];
  monteCarlo: { phi: number; rows: { c: number; p: number; se: number }[] }[];
};
const references = JSON.parse(
  readFileSync(new URL('./__fixtures__/watch-onset-references.json', import.meta.url), 'utf8'),
) as References;
const { before, looks, firstLook } = references.design;
const lookInformation = (phi: number) => onsetInformation(before, looks, phi).slice(firstLook - 1);

describe('the GLS slope since the deploy', () => {
  it.each(references.information)(
    'has the information of explicit GLS with the AR(1) covariance ($before before, φ = $phi)',
    (row) => {
      const ours = onsetInformation(row.before, row.looks, row.phi);
      expect(ours).toHaveLength(row.values.length);
      ours.forEach((v, i) => expect(v / row.values[i]!).toBeCloseTo(1, 9));
    },
  );

  it('fits level, slope and se as explicit GLS does on a series with gaps', () => {
    const { series, before: m, phi, sigma } = references.gls;
    const values = series.map((v) => v ?? NaN);
    const fit = fitSlopeOnset(values.slice(0, m), values.slice(m), phi, sigma);
    expect(fit.level).toBeCloseTo(references.gls.level, 8);
    expect(fit.slope).toBeCloseTo(references.gls.slope, 10);
    expect(fit.se).toBeCloseTo(references.gls.se, 10);
  });

  it('estimates φ and σ before the deploy as least squares on the consecutive pairs', () => {
    const { series, before: m } = references.gls;
    const fit = fitAr1(series.slice(0, m).map((v) => v ?? NaN));
    expect(fit.points).toBe(references.ar1.points);
    expect(fit.pairs).toBe(references.ar1.pairs);
    expect(fit.phi).toBeCloseTo(references.ar1.phi, 10);
    expect(fit.sigma).toBeCloseTo(references.ar1.sigma, 10);
  });
});

describe('the boundary over the looks', () => {
  it.each(references.bound)('crossingBound equals SciPy at φ = $phi, c = $c', (row) => {
    // Simpson's rule over 32 intervals: within 2 in 10,000 of SciPy (a boundary off by < 1e-4).
    expect(Math.abs(crossingBound(lookInformation(row.phi), row.c) / row.value - 1)).toBeLessThan(
      2e-4,
    );
  });

  it.each(references.monteCarlo)(
    'keeps the simulated false-alarm chance at φ = $phi below the promise, and the recursion agrees',
    ({ phi, rows }) => {
      const information = lookInformation(phi);
      const c = constantBoundary(information, 1 / 360);
      // The Monte Carlo chance of any crossing at c, interpolated between its rows.
      const upper = rows.findIndex((r) => r.c >= c);
      const a = rows[upper - 1]!;
      const b = rows[upper]!;
      const p = a.p + ((c - a.c) / (b.c - a.c)) * (b.p - a.p);
      expect(p).toBeLessThan(1 / 360);
      // The bound is an upper bound, and not a loose one (within 45% of the simulated chance).
      expect(p).toBeGreaterThan((1 / 360) * 0.55);
      const row = rows.find((r) => r.c === 3.8)!;
      expect(Math.abs(crossingProbability(information, 3.8, 0.04) - row.p)).toBeLessThan(
        4 * row.se,
      );
    },
  );

  it('spends less per look the more looks there are', () => {
    const short = onsetInformation(before, 30, 0.8).slice(firstLook - 1);
    expect(constantBoundary(short, 1 / 360)).toBeLessThan(
      constantBoundary(lookInformation(0.8), 1 / 360),
    );
    expect(constantBoundary(lookInformation(0.8), 0.05)).toBeLessThan(
      constantBoundary(lookInformation(0.8), 1 / 360),
    );
  });
});
