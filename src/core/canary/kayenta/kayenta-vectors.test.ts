import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brentZeroin } from './brent-zeroin.ts';
import { kayentaMannWhitney, kayentaWilcoxonDiff } from './kayenta-mann-whitney.ts';
import { normalQuantile } from '../normal-distribution.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { classifyKayentaMetric, type KayentaLabel } from './classify-kayenta-metric.ts';
import { resolveKayentaOptions, type MetricDirection } from './kayenta-options.ts';
import { scoreKayenta } from './score-kayenta.ts';

/**
 * Kayenta's own judge suites as data (../shared/canary-vectors beside the repository, read at run
 * time, never copied in): every case must reproduce. A missing folder fails, it never skips.
 */
const vectors = resolve(import.meta.dirname, '../../../../../shared/canary-vectors');

function readKayentaVectors<T>(name: string): T {
  const path = join(vectors, name);
  if (!existsSync(path))
    throw new Error(
      `Kayenta test vectors not found: ${path} (expected the shared canary-vectors folder beside the repository, ../shared/canary-vectors)`,
    );
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

type Check = { args: { mu: number; quantile: number }; expected: number; tolerance: number };
type Case = {
  name: string;
  kind: 'wilcoxonDiff' | 'normalQuantile' | 'mannWhitneyUTest' | 'intermediates';
  inputs: { x: number[]; y: number[]; p: number };
  params: { confidenceLevel: number };
  checks: Check[];
  expected: Record<string, number | number[]> & {
    confidenceInterval: [number, number];
    estimate: number;
  };
  tolerance: Record<string, number> & { confidenceInterval: number; estimate: number };
};

const { cases } = readKayentaVectors<{ cases: Case[] }>('kayenta-mannwhitney.json');
if (cases.length !== 7) throw new Error(`expected 7 Mann-Whitney cases, found ${cases.length}`);
const byKind = (kind: Case['kind']) => cases.filter((c) => c.kind === kind);

describe('kayentaWilcoxonDiff', () => {
  it.each(byKind('wilcoxonDiff').flatMap((c) => c.checks.map((check) => ({ c, ...check }))))(
    'reproduces MannWhitneySuite "$c.name" at mu = $args.mu within $tolerance',
    ({ c, args, expected, tolerance }) => {
      const value = kayentaWilcoxonDiff(args.mu, args.quantile, c.inputs.x, c.inputs.y);
      expect(Math.abs(value - expected)).toBeLessThanOrEqual(tolerance);
    },
  );
});

describe('normalQuantile as Kayenta uses it', () => {
  it.each(byKind('normalQuantile'))('reproduces MannWhitneySuite "$name"', (c) => {
    const check = c.checks[0]!;
    expect(Math.abs(normalQuantile(c.inputs.p) - check.expected)).toBeLessThanOrEqual(
      check.tolerance,
    );
  });
});

describe('kayentaMannWhitney', () => {
  it.each(byKind('mannWhitneyUTest'))(
    'reproduces MannWhitneySuite "$name" within its asserted tolerances',
    (c) => {
      const result = kayentaMannWhitney(c.inputs.x, c.inputs.y, c.params.confidenceLevel);
      const [low, high] = result.confidenceInterval;
      const tolerance = c.tolerance;
      expect(Math.abs(low - c.expected.confidenceInterval[0])).toBeLessThanOrEqual(
        tolerance.confidenceInterval,
      );
      expect(Math.abs(high - c.expected.confidenceInterval[1])).toBeLessThanOrEqual(
        tolerance.confidenceInterval,
      );
      expect(Math.abs(result.estimate - c.expected.estimate)).toBeLessThanOrEqual(
        tolerance.estimate,
      );
    },
  );

  it.each(byKind('intermediates'))(
    'reproduces every intermediate value of MannWhitneySuite "$name" (Brent called directly)',
    (c) => {
      const { x, y } = c.inputs;
      const alpha = 1 - c.params.confidenceLevel;
      const muMin = Math.min(...x) - Math.max(...y);
      const muMax = Math.max(...x) - Math.min(...y);
      const zqLower = -normalQuantile(alpha / 2);
      const zqUpper = normalQuantile(alpha / 2);
      const f = (zq: number) => (mu: number) => kayentaWilcoxonDiff(mu, zq, x, y);
      const actual: Record<string, number> = {
        muMin,
        muMax,
        zqLower,
        zqUpper,
        fLower1: f(zqLower)(muMin),
        fUpper1: f(zqLower)(muMax),
        fLower2: f(zqUpper)(muMin),
        fUpper2: f(zqUpper)(muMax),
      };
      actual['ciLower'] = brentZeroin(
        muMin,
        muMax,
        actual['fLower1']!,
        actual['fUpper1']!,
        f(zqLower),
      );
      actual['ciUpper'] = brentZeroin(
        muMin,
        muMax,
        actual['fLower2']!,
        actual['fUpper2']!,
        f(zqUpper),
      );
      actual['estimate'] = brentZeroin(muMin, muMax, f(0)(muMin), f(0)(muMax), f(0));
      for (const [key, expected] of Object.entries(c.expected))
        expect(Math.abs(actual[key]! - (expected as number)), key).toBeLessThanOrEqual(
          c.tolerance[key]!,
        );
    },
  );

  it('returns NaN (Kayenta: an exception, classification Error) when every value is tied', () => {
    expect(kayentaMannWhitney([1, 1], [1, 1, 1], 0.95).estimate).toBeNaN();
  });
});

type ClassifierCase = {
  name: string;
  classifier: 'MannWhitney' | 'MeanInequality';
  metricName: string;
  control: number[];
  experiment: number[];
  direction: MetricDirection;
  params: Partial<Record<string, number | string | boolean>>;
  expected: KayentaLabel | null;
  expectedCritical?: boolean;
  expectedDeviation?: number | null;
  expectedReasonNonEmpty?: boolean;
};
type ClassifierVectors = {
  defaults: Record<string, number | string | boolean>;
  cases: ClassifierCase[];
};

const classifierVectors = readKayentaVectors<ClassifierVectors>('kayenta-classifier.json');
if (classifierVectors.cases.length !== 37)
  throw new Error(`expected 37 classifier cases, found ${classifierVectors.cases.length}`);

/** The suite's explicit arguments over the Scala constructor defaults, as Kayenta option keys. */
function optionsOf(c: ClassifierCase) {
  const p = { ...classifierVectors.defaults, ...c.params };
  return resolveKayentaOptions({
    tolerance: p['tolerance'] as number,
    confLevel: p['confLevel'] as number,
    allowedIncrease: p['allowedIncrease'] as number,
    allowedDecrease: p['allowedDecrease'] as number,
    criticalIncrease: p['criticalIncrease'] as number,
    criticalDecrease: p['criticalDecrease'] as number,
    effectSizeMeasure: p['effectSizeMeasure'] as 'meanRatio' | 'cles',
    nanStrategy: p['nanStrategy'] as 'remove' | 'replace',
    critical: p['critical'] as boolean,
    mustHaveData: p['isDataRequired'] as boolean,
    direction: c.direction,
    classifier: c.classifier === 'MannWhitney' ? 'mannWhitney' : 'meanInequality',
  });
}

describe('classifyKayentaMetric', () => {
  it.each(classifierVectors.cases)('reproduces ClassifierSuite "$name"', (c) => {
    // The two tied-ranks cases draw Kayenta's noise: the label must hold for every seed.
    for (const seed of [1, 2, 3, 42, 1234]) {
      const result = classifyKayentaMetric(
        c.metricName,
        c.control,
        c.experiment,
        optionsOf(c),
        seededRandom(seed),
      );
      if (c.expected !== null) expect(result.classification).toBe(c.expected);
      if (c.expectedCritical !== undefined) expect(result.critical).toBe(c.expectedCritical);
      if (c.expectedDeviation === null) expect(result.deviation).toBeNaN();
      else if (c.expectedDeviation !== undefined)
        expect(result.deviation).toBe(c.expectedDeviation);
      if (c.expectedReasonNonEmpty) expect(result.reason).toMatch(/\S/);
    }
  });
});

type ScorerCase = {
  name: string;
  groupWeights: Record<string, number>;
  metrics: { name: string; classification: KayentaLabel; groups: string[]; critical: boolean }[];
  expected: {
    summaryScore: number;
    groupScores?: Record<string, number>;
    groupScoresSorted?: number[];
    groupCount?: number;
  };
};

const scorerVectors = readKayentaVectors<{ cases: ScorerCase[] }>('kayenta-scorer.json');
if (scorerVectors.cases.length !== 13)
  throw new Error(`expected 13 scorer cases, found ${scorerVectors.cases.length}`);

describe('scoreKayenta', () => {
  it.each(scorerVectors.cases)('reproduces ScorerSuite "$name"', (c) => {
    const score = scoreKayenta(c.metrics, c.groupWeights);
    expect(score.summaryScore).toBe(c.expected.summaryScore);
    if (c.expected.groupScores)
      for (const [group, value] of Object.entries(c.expected.groupScores))
        expect(score.groupScores.find((g) => g.name === group)?.score).toBe(value);
    if (c.expected.groupCount !== undefined)
      expect(score.groupScores).toHaveLength(c.expected.groupCount);
    if (c.expected.groupScoresSorted)
      expect(score.groupScores.map((g) => g.score).sort((a, b) => a - b)).toEqual(
        c.expected.groupScoresSorted,
      );
  });
});
