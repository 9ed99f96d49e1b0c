import { z } from 'zod';
import { canaryVerdicts, judgeModes, metricResults } from './canary-report.ts';

/** The name of the manifest `candor canary analyze --record DIR` writes beside the answers. */
export const canaryManifestFile = 'analysis.json';

/**
 * What a recorded analysis was asked and what it said (`DIR/analysis.json`): enough to judge the
 * same answers again with other thresholds (the quarter checklist's canary replays).
 */
export const CanaryManifest = z.strictObject({
  version: z.literal(1),
  labels: z.strictObject({
    baseline: z.record(z.string(), z.string()),
    canary: z.record(z.string(), z.string()),
  }),
  window: z.strictObject({ start: z.iso.datetime(), end: z.iso.datetime() }),
  mode: z.enum(judgeModes),
  verdict: z.enum(canaryVerdicts),
  metrics: z.array(z.strictObject({ name: z.string(), result: z.enum(metricResults) })),
});
export type CanaryManifest = z.infer<typeof CanaryManifest>;
