import type { CanaryMetricConfig, CanaryConfig } from '../../config/canary-config.ts';
import type { CanaryInput, CanaryMetricInput } from '../../core/canary/canary-input.ts';
import type { CanaryReport, JudgeMode } from '../../core/canary/canary-report.ts';
import { judgeCanary } from '../../core/canary/judge-canary.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatDuration } from '../../core/lib/parse-duration.ts';
import type { Series, SourceClient } from '../../sources/metric-source.ts';
import { renderQuery } from './render-query.ts';

/** The labels that tell the two versions apart, from `--baseline`/`--canary KEY=VALUE`. */
export type CanaryLabels = { baseline: Record<string, string>; canary: Record<string, string> };

export type CanaryAnalysis = {
  report: CanaryReport;
  /** The window judged (ISO 8601), and the query step. */
  window: { start: string; end: string; step: string };
  /** What was asked of the source, one entry per query. */
  queries: number;
};

/**
 * One canary analysis (issue 11): every metric's queries for both versions over the window at
 * the configured interval, the answers aligned on the interval grid, judged by the core
 * (`judgeCanary`). An unreachable or failing source is not an error: the metrics it could not
 * answer carry the source's reason and are inconclusive. A window shorter than
 * `minimumDuration` never promotes (it is inconclusive, a rollback still stands: fail fast).
 * Throws CandorError `usage` when a template names a placeholder no label gives, or the window
 * is empty.
 */
export async function analyzeCanary(options: {
  config: CanaryConfig;
  labels: CanaryLabels;
  start: Date;
  end: Date;
  client: SourceClient;
  mode?: JudgeMode | undefined;
  signal?: AbortSignal | undefined;
}): Promise<CanaryAnalysis> {
  const { config } = options;
  const step = Math.max(1, Math.round(config.interval / 1000));
  const start = Math.floor(options.start.getTime() / 1000);
  const end = Math.floor(options.end.getTime() / 1000);
  if (end <= start)
    throw new CandorError('usage', 'the analysis window is empty: --end must be after --start');
  const grid: number[] = [];
  for (let t = start; t <= end; t += step) grid.push(t);
  let queries = 0;
  const ask = async (template: string, side: 'baseline' | 'canary', metric: string) => {
    const rendered = renderQuery(template, {
      ...options.labels[side],
      interval: formatDuration(step * 1000),
      start: String(start),
      end: String(end),
    });
    if (!rendered.ok)
      throw new CandorError('usage', `canary.metrics ${metric}: ${rendered.errors[0] ?? ''}`);
    queries++;
    const answer = await options.client.query(
      { kind: 'range', query: rendered.value, start, end, step },
      options.signal,
    );
    return answer.ok
      ? ({ ok: true, series: answer.value.series } as const)
      : ({ ok: false, message: answer.errors[0]?.message ?? 'no answer' } as const);
  };

  const inputs = await Promise.all(
    config.metrics.map(async (metric): Promise<CanaryMetricInput> => {
      const { name } = metric;
      if (metric.kind === 'count') {
        const [bn, bd, cn, cd] = await Promise.all([
          ask(metric.numerator, 'baseline', name),
          ask(metric.denominator, 'baseline', name),
          ask(metric.numerator, 'canary', name),
          ask(metric.denominator, 'canary', name),
        ]);
        const judged = judgedPart(metric);
        const failed = (role: string, message: string): CanaryMetricInput => ({
          ...judged,
          kind: 'count',
          error: `${role}: ${message}`,
        });
        if (!bn.ok) return failed('baseline numerator', bn.message);
        if (!bd.ok) return failed('baseline denominator', bd.message);
        if (!cn.ok) return failed('canary numerator', cn.message);
        if (!cd.ok) return failed('canary denominator', cd.message);
        const sides = {
          baseline: countsOf(bn, bd, grid),
          canary: countsOf(cn, cd, grid),
        };
        const problem = sides.baseline.problem ?? sides.canary.problem;
        if (problem !== undefined) return { ...judged, kind: 'count', error: problem };
        return {
          ...judged,
          kind: 'count',
          ...(sides.baseline.values === undefined ? {} : { baseline: sides.baseline.values }),
          ...(sides.canary.values === undefined ? {} : { canary: sides.canary.values }),
        };
      }
      const [baseline, canary] = await Promise.all([
        ask(metric.query, 'baseline', name),
        ask(metric.query, 'canary', name),
      ]);
      const judged = { ...judgedPart(metric), kind: metric.kind } as const;
      if (!baseline.ok) return { ...judged, error: `baseline: ${baseline.message}` };
      if (!canary.ok) return { ...judged, error: `canary: ${canary.message}` };
      const b = valuesOf(baseline.series, grid);
      const c = valuesOf(canary.series, grid);
      const problem = b.problem ?? c.problem;
      if (problem !== undefined) return { ...judged, error: problem };
      return {
        ...judged,
        ...(b.values === undefined ? {} : { baseline: b.values }),
        ...(c.values === undefined ? {} : { canary: c.values }),
      };
    }),
  );
  const input: CanaryInput = {
    metrics: inputs,
    ...(config.thresholds === undefined ? {} : { thresholds: config.thresholds }),
    ...(config.groupWeights === undefined ? {} : { groupWeights: config.groupWeights }),
  };
  const report = judgeCanary(input, { mode: options.mode ?? config.mode });
  const length = (end - start) * 1000;
  if (report.verdict === 'promote' && length < config.minimumDuration) {
    report.verdict = 'inconclusive';
    report.reasons.push(
      `the window (${formatDuration(length)}) is shorter than minimumDuration (${formatDuration(config.minimumDuration)}): too early to promote`,
    );
  }
  return {
    report,
    window: {
      start: new Date(start * 1000).toISOString(),
      end: new Date(end * 1000).toISOString(),
      step: formatDuration(step * 1000),
    },
    queries,
  };
}

type Settings = Pick<
  CanaryMetricInput,
  'name' | 'direction' | 'critical' | 'group' | 'weight' | 'threshold' | 'max' | 'min' | 'kayenta'
> & { ordered?: boolean | undefined };

/** The metric's settings as the judge takes them (its queries left out). */
function judgedPart(metric: CanaryMetricConfig): Settings {
  const settings: Settings = { name: metric.name };
  for (const key of [
    'direction',
    'critical',
    'group',
    'weight',
    'threshold',
    'max',
    'min',
    'kayenta',
  ] as const)
    if (metric[key] !== undefined) Object.assign(settings, { [key]: metric[key] });
  if (metric.kind !== 'count' && metric.ordered !== undefined) settings.ordered = metric.ordered;
  return settings;
}

type SideValues<T> = { values?: T; problem?: string };

/** One series on the grid (`null` where a point is missing); no series: no data. */
function valuesOf(series: Series[], grid: number[]): SideValues<(number | null)[]> {
  if (series.length === 0) return {};
  if (series.length > 1)
    return {
      problem: `the query returned ${series.length} series, expected one: aggregate it (sum, avg, max by nothing)`,
    };
  const byTime = new Map(series[0]!.points.map((p) => [p.time, p.value]));
  const values = grid.map((t) => byTime.get(t) ?? null);
  return values.every((v) => v === null) ? {} : { values };
}

/**
 * Events out of a total per interval. A numerator with no series while the denominator has some
 * is zero events (PromQL returns nothing, not 0, when no error series exists yet); events are
 * capped at the total (`increase` extrapolates each on its own).
 */
function countsOf(
  numerator: { ok: true; series: Series[] },
  denominator: { ok: true; series: Series[] },
  grid: number[],
): SideValues<{ events: (number | null)[]; total: (number | null)[] }> {
  const total = valuesOf(denominator.series, grid);
  if (total.problem !== undefined) return { problem: `denominator: ${total.problem}` };
  if (total.values === undefined) return {};
  const events =
    numerator.series.length === 0
      ? { values: total.values.map((t) => (t === null ? null : 0)) }
      : valuesOf(numerator.series, grid);
  if (events.problem !== undefined) return { problem: `numerator: ${events.problem}` };
  const counted = events.values ?? total.values.map(() => null);
  return {
    values: {
      events: counted.map((e, i) => {
        const t = total.values![i];
        return e === null || t === null || t === undefined ? null : Math.min(Math.max(e, 0), t);
      }),
      total: total.values.map((t) => (t === null ? null : Math.max(t, 0))),
    },
  };
}
