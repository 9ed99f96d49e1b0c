import { z } from 'zod';

export const metricDirections = ['increase', 'decrease', 'either'] as const;
/** Which change is bad: `increase` (only High fails), `decrease` (only Low), `either`. */
export type MetricDirection = (typeof metricDirections)[number];

/**
 * Kayenta's per-metric keys (its canary config `analysisConfigurations.canary`, flattened as in
 * candor's input: `effectSize.measure` is `effectSizeMeasure`, `outliers.*` is `outliers`), plus
 * the two constants NetflixACAJudge hard-codes (`tolerance` 0.25, `confLevel` 0.98), which may be
 * set here to reproduce Kayenta's own tests. Every key is optional; `resolveKayentaOptions`
 * supplies NetflixACAJudge's defaults.
 */
export const KayentaOptions = z
  .object({
    tolerance: z.number().nonnegative(),
    confLevel: z.number().gt(0).lt(1),
    allowedIncrease: z.number(),
    allowedDecrease: z.number(),
    criticalIncrease: z.number(),
    criticalDecrease: z.number(),
    effectSizeMeasure: z.enum(['meanRatio', 'cles']),
    nanStrategy: z.enum(['remove', 'replace']),
    critical: z.boolean(),
    mustHaveData: z.boolean(),
    muted: z.boolean(),
    direction: z.enum(metricDirections),
    outliers: z.object({
      strategy: z.enum(['keep', 'remove']).optional(),
      outlierFactor: z.number().positive().optional(),
    }),
    /** `mannWhitney` (NetflixACAJudge) or `meanInequality` (Kayenta's benchmarking classifier). */
    classifier: z.enum(['mannWhitney', 'meanInequality']),
  })
  .partial()
  .strict();
export type KayentaOptions = z.infer<typeof KayentaOptions>;

/** Every option present: what `resolveKayentaOptions` returns. */
export type ResolvedKayentaOptions = {
  [K in Exclude<keyof KayentaOptions, 'outliers'>]-?: NonNullable<KayentaOptions[K]>;
} & { outliers: { strategy: 'keep' | 'remove'; outlierFactor: number } };

/**
 * NetflixACAJudge's defaults (NetflixACAJudge.classifyMetric at a69573be): direction `either`,
 * tolerance 0.25, confLevel 0.98, effect-size and critical thresholds 1.0 for `meanRatio` and 0.5
 * for `cles`, nanStrategy `remove`, outliers kept (factor 3.0), not critical, data not required,
 * not muted, the Mann-Whitney classifier. Never throws.
 */
export function resolveKayentaOptions(options: KayentaOptions = {}): ResolvedKayentaOptions {
  const measure = options.effectSizeMeasure ?? 'meanRatio';
  const neutral = measure === 'cles' ? 0.5 : 1.0;
  return {
    tolerance: options.tolerance ?? 0.25,
    confLevel: options.confLevel ?? 0.98,
    allowedIncrease: options.allowedIncrease ?? neutral,
    allowedDecrease: options.allowedDecrease ?? neutral,
    criticalIncrease: options.criticalIncrease ?? neutral,
    criticalDecrease: options.criticalDecrease ?? neutral,
    effectSizeMeasure: measure,
    nanStrategy: options.nanStrategy ?? 'remove',
    critical: options.critical ?? false,
    mustHaveData: options.mustHaveData ?? false,
    muted: options.muted ?? false,
    direction: options.direction ?? 'either',
    outliers: {
      strategy: options.outliers?.strategy ?? 'keep',
      outlierFactor: options.outliers?.outlierFactor ?? 3,
    },
    classifier: options.classifier ?? 'mannWhitney',
  };
}
