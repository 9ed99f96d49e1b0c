import { burnRate } from './burn-rate.ts';
import { compareCountsToBaseline, compareSeriesToBaseline } from './compare-to-baseline.ts';
import { detectDrift } from './detect-drift.ts';
import { detectDriftSinceDeploy } from './detect-drift-since-deploy.ts';
import type { WatchInput, WatchMetricInput } from './watch-input.ts';

export type WatchResult = 'healthy' | 'degraded' | 'inconclusive';

/** What one detector says of one metric: the effect, since when, why. */
export type WatchFinding = {
  metric: string;
  /** `invariant`: an ai-drift catalog entry's KPI invariant (core/watch/check-invariant.ts). */
  detector: WatchMetricInput['detector'] | 'invariant';
  result: WatchResult;
  /** Relative effect with its interval (drift: per hour; burn: the fastest pair's burn rate). */
  effect: { estimate: number; low: number | null; high: number | null } | null;
  pValue: number | null;
  /** The start of the data the finding is about. */
  since: string;
  rollback: boolean;
  reason: string;
  /** For an `invariant` finding: the catalog entry, its blast radius and the condition. */
  invariant?: InvariantOrigin;
};

/** Where an invariant finding comes from: an `ai-drift` entry of the chaos catalog. */
export type InvariantOrigin = {
  entry: string;
  name: string;
  /** `<= 0.3`: the absolute condition every measured interval must meet. */
  condition: string;
  blastRadius: {
    environment: string;
    mode: string;
    value: string | number | null;
    maxDuration: number;
  };
  /** The measured value furthest outside the bound (a breach), else the latest measured one. */
  value: number | null;
  /** Intervals measured and intervals that broke the condition. */
  measured: number;
  breaches: number;
};

export type WatchReport = {
  service: string | null;
  deployment: string | null;
  evaluatedAt: string;
  /** `degraded` when any metric is; else `inconclusive` when any cannot tell; else `healthy`. */
  verdict: WatchResult;
  findings: WatchFinding[];
  /** Degraded metrics marked `rollback: true`: the service's rollback action should run. */
  rollbackMetrics: string[];
};

function finding(
  metric: WatchMetricInput,
  since: string,
  intervalMs: number,
  end: number,
): WatchFinding {
  const base = { metric: metric.name, detector: metric.detector, since, rollback: metric.rollback };
  switch (metric.detector) {
    case 'drift': {
      const options = {
        direction: metric.direction,
        intervalMs,
        threshold: metric.threshold,
        limit: metric.limit,
        baseline: metric.baseline,
      };
      const result =
        metric.before === undefined
          ? detectDrift(metric.values, options)
          : detectDriftSinceDeploy(metric.values, {
              ...options,
              before: metric.before,
              beforeBaseline: metric.beforeBaseline,
              looks: metric.looks,
            });
      return {
        ...base,
        result: result.result,
        effect: Number.isFinite(result.effect.estimate) ? result.effect : null,
        pValue: Number.isFinite(result.pValue) ? result.pValue : null,
        reason: result.reason,
      };
    }
    case 'shift':
    case 'kpi': {
      const result =
        metric.detector === 'shift'
          ? compareSeriesToBaseline(metric.before, metric.values, {
              direction: metric.direction,
              threshold: metric.threshold,
            })
          : compareCountsToBaseline(
              metric.baseline,
              { events: metric.events, total: metric.total },
              { direction: metric.direction, threshold: metric.threshold },
            );
      return {
        ...base,
        result: result.result,
        effect: result.effect,
        pValue: result.pValue,
        reason: `${result.reason} (${result.test})`,
      };
    }
    case 'burn': {
      const start = Date.parse(since);
      const points = metric.bad.map((bad, i) => ({
        at: start + (i + 1) * intervalMs,
        bad: bad ?? NaN,
        total: metric.total[i] ?? NaN,
      }));
      const result = burnRate(points, { objective: metric.objective, now: end });
      const fastest = result.pairs.reduce((a, b) =>
        (b.longRate ?? -1) > (a.longRate ?? -1) ? b : a,
      );
      const noData = result.pairs.every((p) => p.longRate === null);
      const describe = (p: (typeof result.pairs)[number]) =>
        `${(p.longRate ?? 0).toFixed(1)}× over ${p.long / 60_000} min and ${(p.shortRate ?? 0).toFixed(1)}× over ${p.short / 60_000} min (alert above ${p.factor}×)`;
      const firing = result.pairs.find((p) => p.firing);
      return {
        ...base,
        result: firing ? 'degraded' : noData ? 'inconclusive' : 'healthy',
        effect: noData ? null : { estimate: fastest.longRate ?? 0, low: null, high: null },
        pValue: null,
        reason: firing
          ? `burns the ${((1 - metric.objective) * 100).toPrecision(2)}% error budget at ${describe(firing)}`
          : noData
            ? 'no traffic in the windows: cannot tell'
            : `within budget: ${result.pairs.map(describe).join('; ')}${result.incomplete ? ' (the longest window is not yet covered)' : ''}`,
      };
    }
  }
}

/**
 * One evaluation of the post-deploy watch over data already collected: each metric through its
 * detector (STATISTICS.md "The post-deploy watch"), the verdict (`degraded` beats
 * `inconclusive` beats `healthy`: a watch that cannot tell never says healthy), and the degraded
 * metrics that ask for a rollback. Pure; the clock is the end of the data.
 */
export function evaluateWatch(input: WatchInput): WatchReport {
  const intervalMs = input.intervalSeconds * 1000;
  const points = Math.max(
    0,
    ...input.metrics.map((m) =>
      m.detector === 'kpi'
        ? m.events.length
        : m.detector === 'burn'
          ? m.bad.length
          : m.values.length,
    ),
  );
  const end = Date.parse(input.start) + points * intervalMs;
  const since = new Date(Date.parse(input.start)).toISOString();
  const findings = input.metrics.map((metric) => finding(metric, since, intervalMs, end));
  const verdict: WatchResult = findings.some((f) => f.result === 'degraded')
    ? 'degraded'
    : findings.some((f) => f.result === 'inconclusive')
      ? 'inconclusive'
      : 'healthy';
  return {
    service: input.service ?? null,
    deployment: input.deployment ?? null,
    evaluatedAt: new Date(end).toISOString(),
    verdict,
    findings,
    rollbackMetrics: findings
      .filter((f) => f.result === 'degraded' && f.rollback)
      .map((f) => f.metric),
  };
}
