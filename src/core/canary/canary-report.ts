import { z } from 'zod';
import { canaryKinds } from './canary-input.ts';
import { kayentaLabels } from './kayenta/classify-kayenta-metric.ts';

export const canaryVerdicts = ['promote', 'rollback', 'inconclusive'] as const;
export type CanaryVerdict = (typeof canaryVerdicts)[number];

export const metricResults = ['pass', 'fail', 'inconclusive'] as const;
export type MetricResult = (typeof metricResults)[number];

export const judgeModes = ['default', 'kayenta'] as const;
export type JudgeMode = (typeof judgeModes)[number];

/**
 * An effect with its confidence interval. Default mode: the canary's relative change against the
 * baseline (0.5 = 50% higher; for `count` the rate ratio − 1), null where a bound is infinite.
 * Kayenta mode: Kayenta's Mann-Whitney estimate and interval of the shift canary − baseline, in
 * the metric's own unit.
 */
export const Effect = z.object({
  estimate: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
});
export type Effect = z.infer<typeof Effect>;

/** What was judged on one side: interval counts for `count`, values otherwise. */
export const SideSummary = z.union([
  z.object({
    intervals: z.number(),
    events: z.number(),
    total: z.number(),
    rate: z.number().nullable(),
  }),
  z.object({
    values: z.number(),
    missing: z.number(),
    mean: z.number().nullable(),
    min: z.number().nullable(),
    max: z.number().nullable(),
  }),
]);
export type SideSummary = z.infer<typeof SideSummary>;

export const CanaryMetricReport = z.object({
  name: z.string(),
  kind: z.enum(canaryKinds),
  group: z.string(),
  /** Default mode: as configured. Kayenta mode: Kayenta's result flag (a critical threshold crossed). */
  critical: z.boolean(),
  result: z.enum(metricResults),
  /** Kayenta mode only: Pass, High, Low, Nodata, NodataFailMetric or Error. */
  classification: z.enum(kayentaLabels).optional(),
  /** The method, in words. */
  test: z.string(),
  /** Default mode: anytime-valid for time series and counts, fixed-horizon for raw samples. */
  pValue: z.number().nullable(),
  effect: Effect,
  /** The smallest relative change in the bad direction the data would detect (80% power). */
  minimumDetectableEffect: z.number().nullable(),
  /** The practical threshold applied (default mode). */
  threshold: z.number().nullable(),
  baseline: SideSummary,
  canary: SideSummary,
  reason: z.string(),
  /** Method internals worth seeing (autocorrelation, dispersion, effective sample size, …). */
  details: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
});
export type CanaryMetricReport = z.infer<typeof CanaryMetricReport>;

/** The `--json` document of `candor canary judge` / `analyze` (issue 11, item 4). */
export const CanaryReport = z.object({
  verdict: z.enum(canaryVerdicts),
  /** 0–100: the weighted share of passing metrics (default) or Kayenta's summary score. */
  score: z.number(),
  mode: z.enum(judgeModes),
  reasons: z.array(z.string()),
  metrics: z.array(CanaryMetricReport),
  groups: z.array(z.object({ name: z.string(), score: z.number(), weight: z.number() })),
  thresholds: z.object({ pass: z.number(), marginal: z.number() }),
  /** Default mode: the error rate α of every metric's confidence sequence. */
  alpha: z.number(),
});
export type CanaryReport = z.infer<typeof CanaryReport>;
