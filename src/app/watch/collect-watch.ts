import type { CanaryConfig, CanaryMetricConfig } from '../../config/canary-config.ts';
import type { WatchMetricConfig, WatchServiceConfig } from '../../config/watch-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { dayMs } from '../../core/lib/time.ts';
import { formatDuration } from '../../core/lib/parse-duration.ts';
import {
  evaluateWatch,
  type WatchFinding,
  type WatchReport,
  type WatchResult,
} from '../../core/watch/evaluate-watch.ts';
import {
  checkInvariant,
  invariantMetricName,
  type WatchedInvariant,
} from '../../core/watch/check-invariant.ts';
import type { WatchMetricInput } from '../../core/watch/watch-input.ts';
import type { Series, SourceClient } from '../../sources/metric-source.ts';
import { renderQuery } from '../canary/render-query.ts';

type Values = (number | null)[];
type Answer = { ok: true; values: Values } | { ok: false; message: string };

/**
 * One live evaluation of a service's watch (`candor watch --service S`): every watched metric's
 * canary queries over the intervals from the deploy to `now` (at most `window`), at the canary
 * interval, plus what its detector compares with — the same intervals on the earlier days of
 * `baselineDays` (kpi, seasonal drift) or as many intervals just before the deploy (shift), and
 * for drift the `preDeploy` intervals just before the deploy (and their seasonal baseline) —
 * then the core's `evaluateWatch`. A query the source cannot answer makes that metric
 * inconclusive with the source's reason, never an error. Throws CandorError `usage` when a
 * template names a placeholder `labels` does not give.
 */
export async function collectWatch(options: {
  canary: CanaryConfig;
  watch: WatchServiceConfig;
  service: string;
  deployment: string | null;
  /** Where the deployment runs: the `{{environment}}` placeholder (labels may override it). */
  environment?: string | undefined;
  deployedAt: Date;
  now: Date;
  client: SourceClient;
  signal?: AbortSignal | undefined;
  /** KPI invariants of the chaos catalog's `ai-drift` entries, checked on the same grid. */
  invariants?: readonly WatchedInvariant[] | undefined;
}): Promise<WatchReport> {
  const { canary, watch } = options;
  const step = Math.max(1, Math.round(canary.interval / 1000));
  const start = Math.floor(options.deployedAt.getTime() / 1000);
  const end = Math.min(
    Math.floor(options.now.getTime() / 1000),
    start + Math.floor(watch.window / 1000),
  );
  // Point i is the interval ending at start + (i + 1) * step (PromQL `increase(x[step])` at t).
  const grid: number[] = [];
  for (let t = start + step; t <= end; t += step) grid.push(t);
  const definitions = new Map(canary.metrics.map((m) => [m.name, m]));

  // The pre-deploy window: the intervals ending at deploy − preDeploy + step … deploy.
  const preSteps = Math.floor(watch.preDeploy / 1000 / step);
  const beforeGrid: number[] = [];
  for (let i = preSteps - 1; i >= 0; i--) beforeGrid.push(start - i * step);
  const looks = Math.max(1, Math.floor(watch.window / 1000 / step));

  const ask = (template: string, metric: string, shift: number): Promise<Answer> =>
    askOn(grid, template, metric, shift);
  const askOn = async (
    grid: number[],
    template: string,
    metric: string,
    shift: number,
  ): Promise<Answer> => {
    if (grid.length === 0) return { ok: true, values: [] };
    const from = grid[0]! - shift;
    const to = grid.at(-1)! - shift;
    const rendered = renderQuery(template, {
      ...(options.environment === undefined ? {} : { environment: options.environment }),
      ...watch.labels,
      interval: formatDuration(step * 1000),
      start: String(from),
      end: String(to),
    });
    if (!rendered.ok)
      throw new CandorError(
        'usage',
        `watch.${options.service} ${metric}: ${rendered.errors[0] ?? ''} (set watch.${options.service}.labels)`,
      );
    const answer = await options.client.query(
      { kind: 'range', query: rendered.value, start: from, end: to, step },
      options.signal,
    );
    if (!answer.ok) return { ok: false, message: answer.errors[0]?.message ?? 'no answer' };
    return onGrid(answer.value.series, grid, shift);
  };
  const days = watch.baselineDays.map((d) => (d * dayMs) / 1000);

  const collected = await Promise.all(
    watch.metrics.map(async (metric): Promise<WatchMetricInput | WatchFinding> => {
      const definition = definitions.get(metric.metric);
      if (definition === undefined) return failed(metric, start, 'not a metric of canary.metrics');
      try {
        return await inputOf(metric, definition, (template, shift, on = grid) =>
          askOn(on, template, metric.metric, shift).then((a) => {
            if (!a.ok) throw new SourceFailure(a.message);
            return a.values;
          }),
        );
      } catch (error) {
        if (error instanceof SourceFailure) return failed(metric, start, error.message);
        throw error;
      }
    }),
  );
  const since = new Date(start * 1000).toISOString();
  const invariantFindings = await Promise.all(
    (options.invariants ?? []).map(async (watched): Promise<WatchFinding> => {
      const answer = await ask(watched.invariant.query, invariantMetricName(watched), 0);
      if (answer.ok) return checkInvariant(watched, answer.values, since);
      const finding = checkInvariant(watched, [], since);
      return { ...finding, reason: `the source gave no answer: ${answer.message}` };
    }),
  );
  const inputs = collected.filter((c): c is WatchMetricInput => 'name' in c);
  const report = evaluateWatch({
    service: options.service,
    ...(options.deployment === null ? {} : { deployment: options.deployment }),
    start: new Date(start * 1000).toISOString(),
    intervalSeconds: step,
    metrics: inputs,
  });
  let next = 0;
  const findings = [
    ...collected.map((c) => ('name' in c ? report.findings[next++]! : c)),
    ...invariantFindings,
  ];
  const verdict: WatchResult = findings.some((f) => f.result === 'degraded')
    ? 'degraded'
    : findings.some((f) => f.result === 'inconclusive') || findings.length === 0
      ? 'inconclusive'
      : 'healthy';
  return {
    ...report,
    evaluatedAt: new Date(end * 1000).toISOString(),
    verdict,
    findings,
    rollbackMetrics: [
      ...new Set(
        findings.filter((f) => f.result === 'degraded' && f.rollback).map((f) => f.metric),
      ),
    ],
  };

  async function inputOf(
    metric: WatchMetricConfig,
    definition: CanaryMetricConfig,
    query: (template: string, shift: number, on?: number[]) => Promise<Values>,
  ): Promise<WatchMetricInput> {
    const base = { name: metric.metric, rollback: metric.rollback };
    if (definition.kind === 'count') {
      const counts = async (shift: number) => {
        const [events, total] = await Promise.all([
          query(definition.numerator, shift),
          query(definition.denominator, shift),
        ]);
        return {
          events: events.map((e, i) =>
            e === null || total[i] === null
              ? total[i] === null
                ? null
                : 0
              : Math.max(0, Math.min(e, total[i]!)),
          ),
          total: total.map((t) => (t === null ? null : Math.max(0, t))),
        };
      };
      const now = await counts(0);
      if (metric.detector === 'burn')
        return {
          ...base,
          detector: 'burn',
          objective: metric.objective,
          bad: now.events,
          total: now.total,
        };
      if (metric.detector !== 'kpi')
        throw new SourceFailure(`${metric.detector} cannot read a count`);
      const earlier = await Promise.all(days.map((d) => counts(d)));
      return {
        ...base,
        detector: 'kpi',
        direction: metric.direction,
        threshold: metric.threshold,
        events: now.events,
        total: now.total,
        baseline: {
          events: sumOf(earlier.map((e) => e.events)),
          total: sumOf(earlier.map((e) => e.total)),
        },
      };
    }
    const values = await query(definition.query, 0);
    if (metric.detector === 'shift') {
      const before = await query(definition.query, grid.length * step);
      return {
        ...base,
        detector: 'shift',
        direction: metric.direction,
        threshold: metric.threshold,
        before,
        values,
      };
    }
    if (metric.detector !== 'drift') throw new SourceFailure(`${metric.detector} needs a count`);
    const baseline = metric.seasonal
      ? meanOf(await Promise.all(days.map((d) => query(definition.query, d))))
      : undefined;
    const before =
      beforeGrid.length === 0 ? undefined : await query(definition.query, 0, beforeGrid);
    const beforeBaseline =
      before !== undefined && metric.seasonal
        ? meanOf(await Promise.all(days.map((d) => query(definition.query, d, beforeGrid))))
        : undefined;
    return {
      ...base,
      detector: 'drift',
      direction: metric.direction,
      ...(metric.threshold === undefined ? {} : { threshold: metric.threshold }),
      ...(metric.limit === undefined ? {} : { limit: metric.limit }),
      values,
      ...(baseline === undefined || baseline.every((v) => v === null) ? {} : { baseline }),
      ...(before === undefined ? {} : { before, looks }),
      ...(beforeBaseline === undefined ? {} : { beforeBaseline }),
    };
  }
}

class SourceFailure extends Error {}

function failed(metric: WatchMetricConfig, start: number, message: string): WatchFinding {
  return {
    metric: metric.metric,
    detector: metric.detector,
    result: 'inconclusive',
    effect: null,
    pValue: null,
    since: new Date(start * 1000).toISOString(),
    rollback: metric.rollback,
    reason: `the source gave no answer: ${message}`,
  };
}

/** One series on the grid (times moved back by `shift`); no series: all missing. */
function onGrid(series: Series[], grid: number[], shift: number): Answer {
  if (series.length > 1)
    return {
      ok: false,
      message: `the query returned ${series.length} series, expected one: aggregate it (sum, avg, max by nothing)`,
    };
  const byTime = new Map((series[0]?.points ?? []).map((p) => [p.time, p.value]));
  return { ok: true, values: grid.map((t) => byTime.get(t - shift) ?? null) };
}

/** Interval by interval, the sum over the earlier days that have a value (none: missing). */
function sumOf(rows: Values[]): Values {
  return (rows[0] ?? []).map((_, i) => {
    const present = rows.map((r) => r[i]).filter((v): v is number => v !== null && v !== undefined);
    return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
  });
}

function meanOf(rows: Values[]): Values {
  return (rows[0] ?? []).map((_, i) => {
    const present = rows.map((r) => r[i]).filter((v): v is number => v !== null && v !== undefined);
    return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
  });
}
