import type { Problem } from '../../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../../core/lib/result.ts';
import { headerOf, hmacSha256Hex, isSameSecret } from '../verify-signature.ts';
import { defined, isObject, isoTime, objectAt, textAt } from '../webhook-json.ts';
import type { WebhookHeaders, WebhookMapping, WebhookReceiver } from '../webhook-receiver.ts';

/** The PagerDuty event types candor records, with the candor type and the id suffix. */
const incidentTypes: Record<string, ['incident_opened' | 'incident_resolved', string]> = {
  'incident.triggered': ['incident_opened', 'triggered'],
  'incident.resolved': ['incident_resolved', 'resolved'],
};

/**
 * PagerDuty v3 webhook deliveries (readme.md beside this file): `incident.triggered` →
 * `incident_opened`, `incident.resolved` → `incident_resolved`, at `event.occurred_at`, with the
 * incident's id; the service is the PagerDuty service's name (`?service=` on the webhook URL
 * gives candor's). Ids are `incident/<id>/triggered|resolved`, so a redelivery, or the same
 * incident sent by two subscriptions, is one event. Other event types are ignored. Never throws.
 */
function mapPagerduty(delivery: {
  headers: WebhookHeaders;
  payload: unknown;
}): Result<WebhookMapping, Problem> {
  const payload = delivery.payload;
  if (!isObject(payload) || !isObject(payload['event'])) {
    return fail({ path: 'event', message: 'event: a PagerDuty v3 delivery has an event object' });
  }
  const event = payload['event'];
  const kind = textAt(event, 'event_type') ?? '(no event_type)';
  const known = incidentTypes[kind];
  if (known === undefined) return ok({ kind, events: [], ignored: 1 });
  const [type, suffix] = known;
  const data = objectAt(event, 'data');
  const incident = textAt(data, 'id');
  if (incident === undefined) {
    return fail({
      path: 'event.data.id',
      message: `event.data.id: missing from the ${kind} delivery`,
    });
  }
  const service = objectAt(data, 'service');
  return ok({
    kind,
    ignored: 0,
    events: [
      defined({
        type,
        id: `incident/${incident}/${suffix}`,
        source: 'pagerduty',
        occurredAt: isoTime(event['occurred_at']) ?? isoTime(data['created_at']),
        service: textAt(service, 'summary') ?? textAt(service, 'id'),
        incident,
        attributes: defined({
          number: textAt(data, 'number'),
          urgency: textAt(data, 'urgency'),
          url: textAt(data, 'html_url'),
          pagerdutyService: textAt(service, 'id'),
        }),
      }),
    ],
  });
}

/** PagerDuty v3 webhooks, signed with `X-PagerDuty-Signature` (readme.md beside this file). */
export const pagerdutyReceiver = {
  id: 'pagerduty',
  description: 'PagerDuty v3 webhooks: incident.triggered and incident.resolved',
  secretVariable: 'CANDOR_PAGERDUTY_WEBHOOK_SECRET',
  verify({ headers, body }, secret) {
    // `v1=<hex>` signatures, comma-separated while a secret is rotated: one match suffices.
    const expected = hmacSha256Hex(secret, body);
    const signatures = (headerOf(headers, 'x-pagerduty-signature') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.startsWith('v1='));
    let matched = false;
    for (const signature of signatures) {
      if (isSameSecret(signature.slice(3).toLowerCase(), expected)) matched = true;
    }
    return matched;
  },
  map: mapPagerduty,
} satisfies WebhookReceiver;
