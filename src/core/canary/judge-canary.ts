import type { CanaryInput, ScoreThresholds } from './canary-input.ts';
import type {
  CanaryMetricReport,
  CanaryReport,
  CanaryVerdict,
  JudgeMode,
} from './canary-report.ts';
import { judgeDefaultMetric } from './judge-default-metric.ts';
import { judgeKayentaMetric, type KayentaMetricReport } from './kayenta/judge-kayenta-metric.ts';
import { classifyKayentaScore, scoreKayenta } from './kayenta/score-kayenta.ts';
import { seededRandom } from '../lib/seeded-random.ts';

export type JudgeOptions = {
  /** `default` (candor's judge) or `kayenta` (NetflixACAJudge). Default `default`. */
  mode?: JudgeMode | undefined;
  /** Default mode: each metric's error rate (its confidence sequence misses with ≤ α). 0.01. */
  alpha?: number | undefined;
  /** Default mode: the power at which the minimum detectable effect is stated. 0.8. */
  power?: number | undefined;
  /** Kayenta mode: the seed of Kayenta's tie-breaking noise. Default 1. */
  seed?: number | undefined;
};

/** Kayenta's documented example thresholds, used when the input gives none. */
export const defaultScoreThresholds: ScoreThresholds = { pass: 95, marginal: 75 };

/**
 * Judges a canary against its baseline (issue 11, item 3): every metric, then the verdict and
 * a 0–100 score, as the `--json` document of `candor canary judge` (item 4). Pure: the data and
 * the options are all it reads. Never throws.
 *
 * Default mode (`judgeDefaultMetric` per metric; STATISTICS.md): a failing critical metric →
 * rollback; else a critical metric inconclusive, or any metric without data or with a source
 * error → at best inconclusive (never promote on missing data); the score is the weighted share
 * of passing metrics; rollback when even counting every inconclusive metric as passing the score
 * is below `marginal`; promote at score ≥ `pass`; inconclusive otherwise.
 *
 * Kayenta mode: NetflixACAJudge's classifier per metric and its weighted-sum scorer; score ≥
 * pass → promote, ≥ marginal (Kayenta's Marginal) → inconclusive, below → rollback; candor adds
 * one rule: a metric with no data never lets the canary be promoted.
 */
export function judgeCanary(input: CanaryInput, options: JudgeOptions = {}): CanaryReport {
  const thresholds = input.thresholds ?? defaultScoreThresholds;
  const alpha = options.alpha ?? 0.01;
  if ((options.mode ?? 'default') === 'kayenta')
    return judgeKayenta(input, thresholds, alpha, options.seed ?? 1);
  const metrics = input.metrics.map((metric) =>
    judgeDefaultMetric(metric, { alpha, power: options.power ?? 0.8 }),
  );
  const weights = new Map(input.metrics.map((m) => [m.name, m.weight ?? 1]));
  const weightOf = (m: CanaryMetricReport) => weights.get(m.name) ?? 1;
  const { verdict, score, reasons } = defaultVerdict(metrics, weightOf, thresholds);
  return {
    verdict,
    score,
    mode: 'default',
    reasons,
    metrics,
    groups: groupScores(metrics, weightOf),
    thresholds,
    alpha,
  };
}

function defaultVerdict(
  metrics: readonly CanaryMetricReport[],
  weightOf: (m: CanaryMetricReport) => number,
  thresholds: ScoreThresholds,
): { verdict: CanaryVerdict; score: number; reasons: string[] } {
  const score = weightedShare(metrics, weightOf, (m) => m.result === 'pass');
  if (metrics.length === 0) return { verdict: 'inconclusive', score, reasons: ['no metrics'] };
  const criticalFailures = metrics.filter((m) => m.critical && m.result === 'fail');
  if (criticalFailures.length > 0)
    return {
      verdict: 'rollback',
      score,
      reasons: criticalFailures.map((m) => `critical metric ${m.name} failed: ${m.reason}`),
    };
  const reasons: string[] = [];
  const failures = metrics.filter((m) => m.result === 'fail');
  const bestCase = weightedShare(metrics, weightOf, (m) => m.result !== 'fail');
  if (bestCase < thresholds.marginal)
    return {
      verdict: 'rollback',
      score,
      reasons: [
        `failing metrics bring the score below ${thresholds.marginal} even if every inconclusive one passed (${round2(bestCase)})`,
        ...failures.map((m) => `${m.name} failed: ${m.reason}`),
      ],
    };
  for (const m of metrics.filter((m) => m.details['missingData'] === true))
    reasons.push(`${m.name}: ${m.reason} (a canary is never promoted on missing data)`);
  for (const m of metrics.filter((m) => m.critical && m.result === 'inconclusive'))
    if (m.details['missingData'] !== true)
      reasons.push(`critical metric ${m.name} is inconclusive: ${m.reason}`);
  if (reasons.length === 0 && score >= thresholds.pass)
    return { verdict: 'promote', score, reasons: [`score ${round2(score)} ≥ ${thresholds.pass}`] };
  if (score < thresholds.pass) reasons.push(`score ${round2(score)} < ${thresholds.pass}`);
  for (const m of failures) reasons.push(`${m.name} failed: ${m.reason}`);
  for (const m of metrics.filter((m) => !m.critical && m.result === 'inconclusive'))
    if (m.details['missingData'] !== true) reasons.push(`${m.name} is inconclusive: ${m.reason}`);
  return { verdict: 'inconclusive', score, reasons };
}

function judgeKayenta(
  input: CanaryInput,
  thresholds: ScoreThresholds,
  alpha: number,
  seed: number,
): CanaryReport {
  const random = seededRandom(seed);
  const metrics: KayentaMetricReport[] = input.metrics.map((m) => judgeKayentaMetric(m, random));
  const groupWeights = input.groupWeights ?? groupWeightsFromMetrics(input);
  const scored = scoreKayenta(
    metrics.map((m) => ({
      name: m.name,
      classification: m.classification,
      groups: [m.group],
      critical: m.critical,
      muted: m.muted,
      reason: m.reason,
    })),
    groupWeights,
  );
  const classification = classifyKayentaScore(scored.summaryScore, thresholds);
  const reasons = [
    `Kayenta score ${scored.summaryScore}: ${classification}${scored.reason ? ` (${scored.reason})` : ''}`,
  ];
  let verdict: CanaryVerdict =
    classification === 'Pass'
      ? 'promote'
      : classification === 'Marginal'
        ? 'inconclusive'
        : 'rollback';
  const missing = metrics.filter(
    (m) => !m.muted && (m.classification === 'Nodata' || m.classification === 'Error'),
  );
  if (verdict === 'promote' && missing.length > 0) {
    verdict = 'inconclusive';
    reasons.push(
      `Kayenta would pass, but ${missing.map((m) => `${m.name} (${m.classification})`).join(', ')} had no usable data: a canary is never promoted on missing data`,
    );
  }
  return {
    verdict,
    score: scored.summaryScore,
    mode: 'kayenta',
    reasons,
    metrics: metrics.map(({ muted: _muted, ...m }) => m),
    groups: kayentaGroupWeights(scored.groupScores, groupWeights),
    thresholds,
    alpha,
  };
}

/** Each group's effective weight in Kayenta's summary: its own, or an equal share of the rest. */
function kayentaGroupWeights(
  groups: readonly { name: string; score: number }[],
  weights: Readonly<Record<string, number>>,
): CanaryReport['groups'] {
  const given = Object.values(weights).reduce((s, w) => s + w, 0);
  const unweighted = groups.filter((g) => !Object.hasOwn(weights, g.name)).length;
  const shared = unweighted > 0 ? (100 - given) / unweighted : 0;
  return groups.map((g) => ({
    name: g.name,
    score: g.score,
    weight: Object.hasOwn(weights, g.name) ? (weights[g.name] as number) : shared,
  }));
}

/** Kayenta's group weights from per-metric `weight`: a group's weight is the sum of those given. */
function groupWeightsFromMetrics(input: CanaryInput): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const m of input.metrics)
    if (m.weight !== undefined) {
      const group = m.group ?? m.name;
      weights[group] = (weights[group] ?? 0) + m.weight;
    }
  return weights;
}

/** Per group: the weighted share of passing metrics (0–100) and the group's total weight. */
function groupScores(
  metrics: readonly CanaryMetricReport[],
  weightOf: (m: CanaryMetricReport) => number,
): CanaryReport['groups'] {
  const byGroup = new Map<string, CanaryMetricReport[]>();
  for (const m of metrics) byGroup.set(m.group, [...(byGroup.get(m.group) ?? []), m]);
  return [...byGroup].map(([name, members]) => ({
    name,
    score: weightedShare(members, weightOf, (m) => m.result === 'pass'),
    weight: members.reduce((s, m) => s + weightOf(m), 0),
  }));
}

function weightedShare(
  metrics: readonly CanaryMetricReport[],
  weightOf: (m: CanaryMetricReport) => number,
  counts: (m: CanaryMetricReport) => boolean,
): number {
  const total = metrics.reduce((s, m) => s + weightOf(m), 0);
  if (total === 0) return 0;
  const part = metrics.reduce((s, m) => s + (counts(m) ? weightOf(m) : 0), 0);
  return round2((100 * part) / total);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
