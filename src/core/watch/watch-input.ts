import { z } from 'zod';
import { fail, ok, type Result } from '../lib/result.ts';
import type { Problem } from '../lib/problem.ts';
import { formatIssuePath } from '../lib/format-issue-path.ts';
import { detectorOptions, WatchDirection } from './detector-options.ts';

const values = z.array(z.number().nullable());
const direction = WatchDirection;
const common = {
  name: z.string().trim().min(1).max(200),
  /** A finding on this metric runs the service's rollback action (candor.yml services:). */
  rollback: z.boolean().default(false),
};

/** A gauge watched for slow drift since the deploy. */
const DriftMetric = z.strictObject({
  ...common,
  detector: z.literal('drift'),
  direction,
  ...detectorOptions.drift,
  values,
  /** The same intervals on earlier days (seasonality removed). */
  baseline: values.optional(),
  /**
   * The intervals just before the deploy (the last ends at it): with them, φ and σ are learnt
   * before the deploy and the drift test is the GLS slope since it (detectDriftSinceDeploy).
   */
  before: values.optional(),
  /** The seasonal baseline of `before`, needed with `baseline`. */
  beforeBaseline: values.optional(),
  /** How many evaluations the whole watch makes (window ÷ interval); default 120. */
  looks: z.number().int().positive().max(100_000).optional(),
});

/** A series compared before and after the deploy (a level shift). */
const ShiftMetric = z.strictObject({
  ...common,
  detector: z.literal('shift'),
  direction,
  ...detectorOptions.shift,
  /** The intervals before the deploy (or the same intervals on earlier days), aligned with values. */
  before: values,
  values,
});

/** A rate KPI against the same intervals of earlier days. */
const KpiMetric = z.strictObject({
  ...common,
  detector: z.literal('kpi'),
  direction,
  ...detectorOptions.kpi,
  events: values,
  total: values,
  baseline: z.strictObject({ events: values, total: values }),
});

/** An SLO's error budget burn (bad and total events per interval). */
const BurnMetric = z.strictObject({
  ...common,
  detector: z.literal('burn'),
  ...detectorOptions.burn,
  bad: values,
  total: values,
});

export const WatchMetricInput = z.discriminatedUnion('detector', [
  DriftMetric,
  ShiftMetric,
  KpiMetric,
  BurnMetric,
]);
export type WatchMetricInput = z.output<typeof WatchMetricInput>;

/**
 * Data already collected for one evaluation of the watch (`candor watch --input FILE`): the
 * per-interval series since the deploy (`start`, one point per `intervalSeconds`), metric by
 * metric, each with its detector.
 */
export const WatchInput = z.strictObject({
  service: z.string().trim().min(1).max(200).optional(),
  deployment: z.string().trim().min(1).max(200).optional(),
  /** When the first interval starts (the deploy, usually). */
  start: z.iso.datetime({ offset: true }),
  intervalSeconds: z.number().positive().max(86_400).default(60),
  metrics: z.array(WatchMetricInput).min(1),
});
export type WatchInput = z.output<typeof WatchInput>;

/** Validates a watch input; problems carry the JSON path. Never throws. */
export function parseWatchInput(value: unknown): Result<WatchInput, Problem> {
  const parsed = WatchInput.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  return fail(
    ...parsed.error.issues.map((issue) => ({
      path: formatIssuePath(issue.path),
      message: issue.message,
    })),
  );
}
