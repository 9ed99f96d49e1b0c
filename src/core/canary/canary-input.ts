import { z } from 'zod';
import { formatIssuePath } from '../lib/format-issue-path.ts';
import type { Problem } from '../lib/problem.ts';
import { fail, ok, type Result } from '../lib/result.ts';
import { KayentaOptions, metricDirections } from './kayenta/kayenta-options.ts';

export const canaryKinds = ['count', 'distribution', 'gauge'] as const;
/** `count`: events/total per interval; `distribution`: latency-like; `gauge`: CPU, memory, … */
export type CanaryKind = (typeof canaryKinds)[number];

/** Per-interval values (or raw samples); `null` stands for NaN (a missing point). */
const Values = z.array(z.number().nullable());

/** Per-interval counts; one element is the totals of the whole window. */
export const CountValues = z
  .object({
    events: z.array(z.number().nonnegative().nullable()),
    total: z.array(z.number().nonnegative().nullable()),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.events.length !== value.total.length)
      context.addIssue({
        code: 'custom',
        path: ['total'],
        message: `events has ${value.events.length} intervals and total ${value.total.length}: they must match`,
      });
    value.events.forEach((events, i) => {
      const total = value.total[i];
      if (events !== null && typeof total === 'number' && events > total)
        context.addIssue({
          code: 'custom',
          path: ['events', i],
          message: `${events} events out of a total of ${total}`,
        });
    });
  });
export type CountValues = z.infer<typeof CountValues>;

const common = {
  name: z.string().min(1),
  /** Which change is bad. Default: `increase` in default mode, `either` in kayenta mode. */
  direction: z.enum(metricDirections).optional(),
  /** A failing critical metric rolls the canary back; an underpowered one makes it inconclusive. */
  critical: z.boolean().optional(),
  /** Default: the metric's name (its own group). */
  group: z.string().min(1).optional(),
  /** Default 1. */
  weight: z.number().positive().optional(),
  /** The smallest relative change that matters (0.1 = 10%); default per kind (`defaultThresholds`). */
  threshold: z.number().positive().optional(),
  /** Absolute conditions on the canary alone (its rate for `count`, its mean otherwise). */
  max: z.number().optional(),
  min: z.number().optional(),
  /** Kayenta's own keys, read in kayenta mode. */
  kayenta: KayentaOptions.optional(),
  /** Why the source could not provide this metric (it is then judged inconclusive). */
  error: z.string().min(1).optional(),
};

export const CountMetricInput = z
  .object({
    ...common,
    kind: z.literal('count'),
    baseline: CountValues.optional(),
    canary: CountValues.optional(),
    /** Accepted for a uniform metric shape; counts are always per interval. */
    ordered: z.boolean().optional(),
  })
  .strict();

export const SeriesMetricInput = z
  .object({
    ...common,
    kind: z.enum(['distribution', 'gauge']),
    baseline: Values.optional(),
    canary: Values.optional(),
    /** Default true: consecutive intervals of a time series; false: independent raw samples. */
    ordered: z.boolean().optional(),
  })
  .strict();

/** One metric of `candor canary judge --input FILE`. */
export const CanaryMetricInput = z.discriminatedUnion('kind', [
  CountMetricInput,
  SeriesMetricInput,
]);
export type CanaryMetricInput = z.infer<typeof CanaryMetricInput>;

/** Score thresholds 0–100: promote at ≥ pass; below marginal a rollback. Default 95 / 75. */
export const ScoreThresholds = z
  .object({ pass: z.number().min(0).max(100), marginal: z.number().min(0).max(100) })
  .strict()
  .refine((t) => t.marginal <= t.pass, {
    message: 'marginal must not exceed pass',
    path: ['marginal'],
  });
export type ScoreThresholds = z.infer<typeof ScoreThresholds>;

/**
 * The input of `candor canary judge --input FILE` (issue 11, item 4): metrics with their
 * baseline and canary data, and score thresholds. `groupWeights` (Kayenta's
 * `classifier.groupWeights`) is an addition for kayenta mode; metric names must be unique.
 */
export const CanaryInput = z
  .object({
    metrics: z.array(CanaryMetricInput),
    thresholds: ScoreThresholds.optional(),
    groupWeights: z.record(z.string(), z.number().nonnegative()).optional(),
  })
  .strict()
  .superRefine((input, context) => {
    const seen = new Set<string>();
    input.metrics.forEach((metric, i) => {
      if (seen.has(metric.name))
        context.addIssue({
          code: 'custom',
          path: ['metrics', i, 'name'],
          message: `duplicate metric name "${metric.name}"`,
        });
      seen.add(metric.name);
    });
  });
export type CanaryInput = z.infer<typeof CanaryInput>;

/**
 * Validates the judge's input; each problem names its JSON path (`metrics[2].baseline.events[7]`).
 * Never throws.
 */
export function parseCanaryInput(value: unknown): Result<CanaryInput, Problem> {
  const parsed = CanaryInput.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  return fail(
    ...parsed.error.issues.map((issue) => {
      const path = formatIssuePath(issue.path);
      return { path, message: `${path || '(input)'}: ${issue.message}` };
    }),
  );
}
