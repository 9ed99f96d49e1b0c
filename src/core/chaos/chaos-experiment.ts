import { z } from 'zod';
import { DurationText } from '../lib/parse-duration.ts';

/**
 * A share written as `25%` or as a number: a number above 1 is a percentage (`25` → 0.25), at
 * most 1 a ratio (`0.25`). Parsed to a ratio in [0, 1].
 */
export const ShareText = z.union([z.number(), z.string()]).transform((raw, context) => {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text);
  const value = match
    ? Number(match[1]) / (match[2] === '%' || Number(match[1]) > 1 ? 100 : 1)
    : NaN;
  if (Number.isFinite(value) && value >= 0 && value <= 1) return value;
  context.addIssue({
    code: 'custom',
    message: `expected a share such as 25% or 0.25, got "${text}"`,
  });
  return z.NEVER;
});

/** Chaos Mesh's selection modes (`spec.mode`): how many of the selected targets are hit. */
export const blastRadiusModes = [
  'one',
  'all',
  'fixed',
  'fixed-percent',
  'random-max-percent',
] as const;
export type BlastRadiusMode = (typeof blastRadiusModes)[number];

/** Where an experiment hits and how hard, in Chaos Mesh's vocabulary (`mode`, `value`, `selector`). */
export const BlastRadius = z
  .strictObject({
    /** The environment the experiment runs in (`production` entries get stricter checks). */
    environment: z.string().trim().min(1).max(100),
    /** Which targets (Chaos Mesh `spec.selector`): namespaces, labels. */
    selector: z
      .strictObject({
        namespace: z.string().min(1).max(253).optional(),
        labels: z.record(z.string().min(1).max(317), z.string().max(63)).optional(),
      })
      .optional(),
    mode: z.enum(blastRadiusModes),
    /** A count (`fixed`) or a percentage (`fixed-percent`, `random-max-percent`). */
    value: z.union([z.int().min(1), z.string().regex(/^\d+$/)]).optional(),
    /** The longest the fault may stay injected (`5m`). */
    maxDuration: DurationText,
  })
  .superRefine((radius, context) => {
    const needsValue = radius.mode === 'fixed' || radius.mode.endsWith('percent');
    if (needsValue && radius.value === undefined)
      context.addIssue({
        code: 'custom',
        path: ['value'],
        message: `mode ${radius.mode} needs a value`,
      });
    if (radius.mode.endsWith('percent') && radius.value !== undefined && Number(radius.value) > 100)
      context.addIssue({ code: 'custom', path: ['value'], message: 'a percentage is at most 100' });
  });
export type BlastRadius = z.output<typeof BlastRadius>;

/** The SLO the experiment spends, and the error budget that must remain before it may run. */
export const ChaosSlo = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** `99.9%` or `0.999`. */
  objective: ShareText.refine((v) => v > 0 && v < 1, 'the objective is between 0% and 100%'),
  window: DurationText.prefault('28d'),
  /** The share of the error budget that must remain (`25%`; SRE workbook error budget policy). */
  requireErrorBudgetRemaining: ShareText,
  /**
   * A PromQL expression giving the error ratio (bad ÷ all) over the SLO window, read through
   * the metric source (`chaos.source`, else `canary.source`) by `candor chaos ready`.
   */
  errorRatioQuery: z.string().trim().min(1).max(4000).optional(),
});
export type ChaosSlo = z.output<typeof ChaosSlo>;

/** A Chaos Toolkit tolerance: a scalar or list (strict match), or a range / regex / jsonpath. */
export const ProbeTolerance = z.union([
  z.union([z.string(), z.number(), z.boolean()]),
  z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
  z.strictObject({
    type: z.literal('range'),
    range: z.tuple([z.number(), z.number()]),
    target: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('regex'),
    pattern: z.string().min(1),
    target: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('jsonpath'),
    path: z.string().min(1),
    expect: z.unknown().optional(),
    target: z.string().optional(),
  }),
]);

/** One probe of the steady-state hypothesis (Chaos Toolkit `steady-state-hypothesis.probes[]`). */
export const HypothesisProbe = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    http: z
      .strictObject({
        url: z.string().min(1),
        method: z.string().optional(),
        timeout: z.number().positive().optional(),
      })
      .optional(),
    prometheus: z.strictObject({ query: z.string().min(1) }).optional(),
    process: z
      .strictObject({ path: z.string().min(1), arguments: z.string().optional() })
      .optional(),
    tolerance: ProbeTolerance,
  })
  .refine(
    (probe) =>
      [probe.http, probe.prometheus, probe.process].filter((p) => p !== undefined).length === 1,
    'a probe has exactly one provider: http, prometheus or process',
  );

/** What stops the experiment at once (the AWS FIS idea): a firing alert or a query over a bound. */
export const StopCondition = z
  .strictObject({
    alert: z.string().trim().min(1).max(200).optional(),
    query: z.string().trim().min(1).max(4000).optional(),
    above: z.number().optional(),
  })
  .refine(
    (c) => c.alert !== undefined || c.query !== undefined,
    'a stop condition names an alert or a query',
  );

/** How faults are injected: a file of another tool, referenced and never run by candor. */
export const injectionTypes = ['chaos-mesh', 'litmus', 'chaostoolkit'] as const;
export const ChaosInjection = z.strictObject({
  type: z.enum(injectionTypes),
  /** The manifest (Chaos Mesh, LitmusChaos) or experiment file (Chaos Toolkit), repository-relative. */
  manifest: z.string().trim().min(1).max(1000),
});

export const invariantOperators = ['<', '<=', '=', '>=', '>'] as const;
export type InvariantOperator = (typeof invariantOperators)[number];

/**
 * An absolute condition on a KPI of an AI-driven feature (`share of prices outside the catalog
 * range = 0`, `discount ratio <= 0.3`), run as a canary/watch metric.
 */
export const KpiInvariant = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** PromQL giving the KPI's current value. */
  query: z.string().trim().min(1).max(4000),
  op: z.enum(invariantOperators),
  value: z.number(),
  description: z.string().max(1000).optional(),
  /**
   * A breach found by `candor watch` runs the service's rollback action (`services:`), as a
   * watch metric's `rollback: true` does. Default false: the breach is a finding only.
   */
  rollback: z.boolean().default(false),
});
export type KpiInvariant = z.output<typeof KpiInvariant>;

export const chaosExperimentKinds = ['fault', 'ai-drift'] as const;
export const chaosSeverities = ['sev1', 'sev2', 'sev3', 'sev4'] as const;

/**
 * One entry of the chaos catalog (`.candor/chaos/<id>.yml`, docs/adr/0028-chaos-catalog.md):
 * a governed fault-injection experiment (`kind: fault`, the default) or a set of AI-drift KPI
 * invariants (`kind: ai-drift`), with its owner, blast radius, SLO and rollback.
 */
export const ChaosExperiment = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'an id is lower-case letters, digits and dashes'),
    title: z.string().trim().min(1).max(300),
    kind: z.enum(chaosExperimentKinds).default('fault'),
    /** A CODEOWNERS-style handle (`@org/team-payments`, `team-payments`); required. */
    owner: z.string().trim().min(1).max(200),
    /** The service it exercises, as `candor.yml` `services:` and the ledger name it. */
    service: z.string().trim().min(1).max(200),
    /** The expected worst impact if the hypothesis is wrong. */
    severity: z.enum(chaosSeverities),
    blastRadius: BlastRadius,
    slo: ChaosSlo,
    hypothesis: z
      .strictObject({
        title: z.string().max(300).optional(),
        probes: z.array(HypothesisProbe).min(1),
      })
      .optional(),
    stopConditions: z.array(StopCondition).default([]),
    inject: ChaosInjection.optional(),
    /** KPI invariants and drift checks (`kind: ai-drift`). */
    invariants: z.array(KpiInvariant).default([]),
    /** Services whose `services.<name>.rollback` action undoes the experiment. */
    rollback: z.array(z.string().trim().min(1).max(200)).default([]),
    /** How often a game day is due (`90d`). */
    cadence: DurationText.prefault('90d'),
    runbook: z.string().trim().min(1).max(1000).optional(),
    contributions: z.record(z.string(), z.enum(['high', 'medium', 'low', 'none'])).optional(),
  })
  .superRefine((entry, context) => {
    if (entry.kind === 'fault' && entry.inject === undefined)
      context.addIssue({
        code: 'custom',
        path: ['inject'],
        message: 'a fault experiment names its injection (inject: {type, manifest})',
      });
    if (entry.kind === 'ai-drift' && entry.invariants.length === 0)
      context.addIssue({
        code: 'custom',
        path: ['invariants'],
        message: 'an ai-drift entry names at least one KPI invariant',
      });
  });
export type ChaosExperiment = z.output<typeof ChaosExperiment>;

/** True when `value` satisfies the invariant's absolute condition. Never throws. */
export function holdsInvariant(
  invariant: Pick<KpiInvariant, 'op' | 'value'>,
  value: number,
): boolean {
  switch (invariant.op) {
    case '<':
      return value < invariant.value;
    case '<=':
      return value <= invariant.value;
    case '=':
      return value === invariant.value;
    case '>=':
      return value >= invariant.value;
    case '>':
      return value > invariant.value;
  }
}

/** The JSON Schema of a catalog entry (draft 2020-12), for editors (`candor chaos schema`). */
export function chaosExperimentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ChaosExperiment, { target: 'draft-2020-12', io: 'input' }),
    $id: 'https://candor.dev/schema/chaos-experiment.json',
    title: 'candor chaos experiment',
    description: 'One entry of the chaos catalog (.candor/chaos/*.yml; README "candor chaos").',
  };
}
