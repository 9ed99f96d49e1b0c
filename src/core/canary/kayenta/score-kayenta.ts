import type { KayentaLabel } from './classify-kayenta-metric.ts';

/** One metric as Kayenta's scorer sees it (`CanaryAnalysisResult`). */
export type KayentaScoredMetric = {
  name: string;
  classification: KayentaLabel;
  groups: readonly string[];
  critical: boolean;
  muted?: boolean | undefined;
  reason?: string | undefined;
};

export type KayentaGroupScore = { name: string; score: number; noData: boolean };

export type KayentaScore = {
  /** 0–100, rounded half-up to 2 decimals. */
  summaryScore: number;
  groupScores: KayentaGroupScore[];
  /** Why the score was forced to 0, as Kayenta words it. */
  reason: string | undefined;
};

/** `ThresholdScoreClassifier`: Pass at ≥ pass, Marginal at ≥ marginal, else Fail. */
export type KayentaScoreClassification = 'Pass' | 'Marginal' | 'Fail';

const nodataThreshold = 50;

/**
 * Kayenta's `WeightedSumScorer` (kayenta-judge scorers/WeightedSumScorer.scala and
 * ScoringHelper.scala at a69573be): muted metrics are dropped; a group scores
 * 100·Pass/(Pass + High + Low + NodataFailMetric) (Nodata and Error left out; noData when that
 * count is 0, worth 100 in the summary); groups named in `groupWeights` carry their weight, the
 * others share 100 − Σ weights equally; the summary is Σ score·weight/100 rounded half-up to 2
 * decimals; it is 0 when any critical metric is not Pass, or when ≥ 50% of the metrics are Nodata.
 * Groups are listed in first-seen order (Kayenta's order is a hash map's). Never throws.
 */
export function scoreKayenta(
  allMetrics: readonly KayentaScoredMetric[],
  groupWeights: Readonly<Record<string, number>>,
): KayentaScore {
  const metrics = allMetrics.filter((m) => m.muted !== true);
  const byGroup = new Map<string, KayentaLabel[]>();
  for (const metric of metrics)
    for (const group of metric.groups) {
      const list = byGroup.get(group) ?? [];
      list.push(metric.classification);
      byGroup.set(group, list);
    }
  const groupScores = [...byGroup].map(([name, labels]) => groupScore(name, labels));
  const criticalFailure = metrics.find((m) => m.critical && m.classification !== 'Pass');
  if (criticalFailure)
    return {
      summaryScore: 0,
      groupScores,
      reason: `Canary Failed: ${criticalFailure.reason ?? 'null'}`,
    };
  const nodata = metrics.filter((m) => m.classification === 'Nodata').length;
  if ((nodata / metrics.length) * 100 >= nodataThreshold)
    return {
      summaryScore: 0,
      groupScores,
      reason: `Canary Failed: ${nodataThreshold}% or more metrics returned NODATA`,
    };
  return { summaryScore: summaryScore(groupScores, groupWeights), groupScores, reason: undefined };
}

/** `ThresholdScoreClassifier.classify`. */
export function classifyKayentaScore(
  score: number,
  thresholds: { pass: number; marginal: number },
): KayentaScoreClassification {
  return score >= thresholds.pass ? 'Pass' : score >= thresholds.marginal ? 'Marginal' : 'Fail';
}

function groupScore(name: string, labels: readonly KayentaLabel[]): KayentaGroupScore {
  const count = (label: KayentaLabel) => labels.filter((l) => l === label).length;
  const pass = count('Pass');
  const total = pass + count('High') + count('Low') + count('NodataFailMetric');
  return total === 0
    ? { name, score: 0, noData: true }
    : { name, score: (pass / total) * 100, noData: false };
}

function summaryScore(
  groups: readonly KayentaGroupScore[],
  weights: Readonly<Record<string, number>>,
): number {
  const weightSum = Object.values(weights).reduce((s, w) => s + w, 0);
  const unweighted = groups.filter((g) => !Object.hasOwn(weights, g.name)).length;
  const shared = unweighted > 0 ? (100 - weightSum) / unweighted : 0;
  let summary = 0;
  for (const group of groups) {
    const effective = group.noData ? 100 : group.score;
    const weight = Object.hasOwn(weights, group.name) ? (weights[group.name] as number) : shared;
    summary += effective * (weight / 100);
  }
  return roundHalfUp(summary, 2);
}

/**
 * commons-math `Precision.round(x, scale)`: the decimal string of x (Java's
 * `Double.toString`, which JavaScript's shortest round-trip form matches for these magnitudes)
 * rounded half-up, so 33.333… → 33.33 and 4.99999…95 → 5.
 */
export function roundHalfUp(value: number, scale: number): number {
  if (!Number.isFinite(value)) return value;
  const negative = value < 0;
  const [digits = '0', exponentText] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  const plain = digits.replace('.', '');
  // Position of the decimal point within `plain`, then pad so the kept digits exist.
  const point = exponent + 1;
  const padded = point <= 0 ? '0'.repeat(1 - point) + plain : plain.padEnd(point + scale + 1, '0');
  const pointAt = point <= 0 ? 1 : point;
  const kept = padded.slice(0, pointAt + scale);
  const next = Number(padded.charAt(pointAt + scale) || '0');
  let scaled = BigInt(kept) + (next >= 5 ? 1n : 0n);
  if (negative) scaled = -scaled;
  return Number(scaled) / 10 ** scale;
}
