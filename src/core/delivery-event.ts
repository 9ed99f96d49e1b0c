import { z } from 'zod';
import { formatIssuePath } from './format-issue-path.ts';
import { isCdEventEnvelope, mapCdEvent } from './map-cdevent.ts';

/** The delivery events candor records, in pipeline order. */
export const deliveryEventTypes = [
  'commit_created',
  'artifact_built',
  'tests_passed',
  'tests_failed',
  'security_scanned',
  'policy_passed',
  'policy_failed',
  'deploy_started',
  'canary_started',
  'canary_promoted',
  'canary_failed',
  'deploy_finished',
  'rollback_triggered',
  'rollback_finished',
  'incident_opened',
  'incident_resolved',
] as const;
export type DeliveryEventType = (typeof deliveryEventTypes)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * One delivery event as users send it (CLI flags, JSON lines, HTTP). `occurredAt` is when it
 * happened (ISO-8601 with an offset), kept apart from when candor received it.
 */
export const DeliveryEvent = z.strictObject({
  type: z.enum(deliveryEventTypes),
  id: text(200).optional(),
  source: text(500).optional(),
  occurredAt: z.iso.datetime({ offset: true }),
  service: text(200),
  environment: text(100).optional(),
  commit: text(100).optional(),
  commits: z.array(text(100)).max(10_000).optional(),
  deployment: text(200).optional(),
  incident: text(200).optional(),
  result: z.enum(['success', 'failure']).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});
export type DeliveryEvent = z.infer<typeof DeliveryEvent>;

/** Where an event came from when it does not say: idempotency is on (source, id). */
export const defaultEventSource = 'default';

export type EventProblem = { path: string; message: string };

/** Validates one event; problems name the field. Never throws. */
export function parseDeliveryEvent(
  value: unknown,
): { ok: true; value: DeliveryEvent } | { ok: false; errors: EventProblem[] } {
  const parsed = DeliveryEvent.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = formatIssuePath(issue.path);
      return { path, message: `${path || '(event)'}: ${issue.message}` };
    }),
  };
}

/**
 * Validates one event given as candor JSON or as a CDEvent (bare, or a structured CloudEvent);
 * problems name the field. Never throws.
 */
export function parseEventInput(value: unknown): ReturnType<typeof parseDeliveryEvent> {
  if (!isCdEventEnvelope(value)) return parseDeliveryEvent(value);
  const mapped = mapCdEvent(value);
  if (!mapped.ok) return { ok: false, errors: [{ path: 'context.type', message: mapped.message }] };
  return parseDeliveryEvent(mapped.value);
}
