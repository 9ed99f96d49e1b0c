import type { Problem } from '../../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../../core/lib/result.ts';
import { headerOf, isSameSecret } from '../verify-signature.ts';
import { defined, isObject, isoTime, objectAt, textAt } from '../webhook-json.ts';
import type { WebhookHeaders, WebhookMapping, WebhookReceiver } from '../webhook-receiver.ts';

/** The Opsgenie alert actions candor records, with the candor type, id suffix and time field. */
const alertActions: Record<string, ['incident_opened' | 'incident_resolved', string, string]> = {
  Create: ['incident_opened', 'opened', 'createdAt'],
  Close: ['incident_resolved', 'resolved', 'updatedAt'],
};

/**
 * Opsgenie webhook deliveries (readme.md beside this file): an alert's `Create` →
 * `incident_opened` at `alert.createdAt`, `Close` → `incident_resolved` at `alert.updatedAt`,
 * with the alert's id as the incident. The service is `alert.details.service`, else
 * `alert.entity` (`?service=` on the webhook URL gives it outright). Ids are
 * `alert/<alertId>/opened|resolved`. Other actions (Acknowledge, AddNote, …) are ignored.
 * Never throws.
 */
function mapOpsgenie(delivery: {
  headers: WebhookHeaders;
  payload: unknown;
}): Result<WebhookMapping, Problem> {
  const payload = delivery.payload;
  if (!isObject(payload))
    return fail({ path: '', message: 'an Opsgenie delivery is a JSON object' });
  const kind = textAt(payload, 'action') ?? '(no action)';
  const known = alertActions[kind];
  if (known === undefined) return ok({ kind, events: [], ignored: 1 });
  const [type, suffix, timeField] = known;
  const alert = objectAt(payload, 'alert');
  const id = textAt(alert, 'alertId');
  if (id === undefined) {
    return fail({
      path: 'alert.alertId',
      message: `alert.alertId: missing from the ${kind} delivery`,
    });
  }
  return ok({
    kind,
    ignored: 0,
    events: [
      defined({
        type,
        id: `alert/${id}/${suffix}`,
        source: 'opsgenie',
        occurredAt: isoTime(alert[timeField]) ?? isoTime(alert['createdAt']),
        service: textAt(objectAt(alert, 'details'), 'service') ?? textAt(alert, 'entity'),
        incident: id,
        attributes: defined({
          tinyId: textAt(alert, 'tinyId'),
          priority: textAt(alert, 'priority'),
          alias: textAt(alert, 'alias'),
        }),
      }),
    ],
  });
}

/**
 * The token an Opsgenie delivery carries: the `X-Candor-Token` header (a custom header of the
 * webhook integration), else the password of `Authorization: Basic` (credentials in the URL).
 */
function tokenOf(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const header = headerOf(headers, 'x-candor-token');
  if (header !== undefined) return header;
  const basic = /^basic\s+(\S+)$/i.exec(headerOf(headers, 'authorization') ?? '');
  if (!basic?.[1]) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** Opsgenie alert webhooks, authenticated by a shared token (readme.md beside this file). */
export const opsgenieReceiver = {
  id: 'opsgenie',
  description: 'Opsgenie webhook integration: alert Create and Close, as incidents',
  secretVariable: 'CANDOR_OPSGENIE_WEBHOOK_TOKEN',
  verify({ headers }, secret) {
    const token = tokenOf(headers);
    return token !== undefined && isSameSecret(token, secret);
  },
  map: mapOpsgenie,
} satisfies WebhookReceiver;
