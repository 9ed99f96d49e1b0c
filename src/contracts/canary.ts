import { z } from 'zod';
import { judgeModes } from '../core/canary/canary-report.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const Labels = z
  .record(text(100), z.string().max(500))
  .refine(
    (labels) => Object.keys(labels).length > 0,
    'at least one label (e.g. {"version": "stable"})',
  );

/** POST /api/v1/canaries: what to compare, for which service and deployment. */
export const CanaryStartRequest = z.strictObject({
  service: text(200),
  environment: text(100).optional(),
  /** The deployment id the ledger events carry (`canary_started`, `canary_promoted`, …). */
  deployment: text(200).optional(),
  baseline: Labels,
  canary: Labels,
  mode: z.enum(judgeModes).optional(),
});
export type CanaryStartRequest = z.infer<typeof CanaryStartRequest>;

/**
 * The body Flagger sends its webhooks (https://docs.flagger.app/usage/webhooks): the canary's
 * name and namespace, its phase, and the webhook's `metadata` (strings). candor reads from
 * `metadata`: `service` (default: name), `environment` (default: namespace), `analysis` (an id:
 * that analysis rather than the service's latest), `token` (Flagger sends no headers), and for
 * `pre-rollout` `baseline` and `canary` as `key=value,key=value` and `deployment`.
 */
export const FlaggerWebhook = z.object({
  name: text(200),
  namespace: text(100),
  phase: z.string().optional(),
  checksum: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type FlaggerWebhook = z.infer<typeof FlaggerWebhook>;

/** `version=stable,track=a` as labels; undefined when a pair has no `=`. Never throws. */
export function parseLabelList(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) return undefined;
    labels[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return labels;
}
