import { z } from 'zod';

const name = (max: number) => z.string().trim().min(1).max(max);

/**
 * The query string of `POST /api/v1/webhooks/<receiver>` (README "Webhooks"): `service` and
 * `environment` override what the delivery says (a PagerDuty service's display name is rarely
 * candor's service name); `environment` applies to deployment events only. Any other parameter
 * is refused with 400 naming it, so a typo is never silently dropped.
 */
export const WebhookQuery = z.object({
  service: name(200).optional(),
  environment: name(100).optional(),
});
export type WebhookQuery = z.infer<typeof WebhookQuery>;

/**
 * The answer to a verified delivery, always 200 (a sender retries anything else): what the
 * receiver read it as (`kind`), the events it stored, and what it left out (`ignored`: kinds
 * candor does not record; `errors`: mapped events that were invalid, not stored).
 */
export const WebhookReceipt = z.object({
  receiver: z.string(),
  kind: z.string(),
  accepted: z.number(),
  ignored: z.number(),
  stored: z.number(),
  duplicates: z.number(),
  conflicts: z.array(
    z.object({
      index: z.number(),
      source: z.string(),
      id: z.string(),
      fields: z.array(z.string()),
      message: z.string(),
    }),
  ),
  errors: z.array(z.object({ index: z.number(), path: z.string(), message: z.string() })),
});
export type WebhookReceipt = z.infer<typeof WebhookReceipt>;
