import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWebhookReceiverConformance } from '../webhook-receiver-conformance.ts';
import { pagerdutyReceiver } from './pagerduty-receiver.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', `${name}.json`), 'utf8'));
/** The headers PagerDuty sends with every v3 delivery, but the signature. */
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'user-agent': 'PagerDuty-Webhook/V3.0',
  'x-webhook-id': 'fb21c2d9-bf01-4bd9-9c4e-bbd8e5d2a6a1',
  'x-webhook-subscription': 'PBZUP2B',
};
const signature = (body: Uint8Array, secret: string) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
const sign = (body: Uint8Array, secret: string) => ({
  'x-pagerduty-signature': signature(body, secret),
});
const common = { source: 'pagerduty', service: 'shop', incident: 'Q1ZL7UGXQ0O9M5' } as const;
const attributes = {
  number: '2',
  urgency: 'high',
  url: 'https://acme.pagerduty.com/incidents/Q1ZL7UGXQ0O9M5',
  pagerdutyService: 'PF9KMXH',
};

describe('pagerdutyReceiver', () => {
  it('accepts a delivery when one of several signatures matches (a secret being rotated)', () => {
    const body = new TextEncoder().encode(JSON.stringify(fixture('incident.triggered')));
    const both = `${signature(body, 'old-secret')},${signature(body, 'new-secret')}`;
    expect(
      pagerdutyReceiver.verify({ headers: { 'x-pagerduty-signature': both }, body }, 'new-secret'),
    ).toBe(true);
    expect(
      pagerdutyReceiver.verify({ headers: { 'x-pagerduty-signature': both }, body }, 'other'),
    ).toBe(false);
    const unversioned = signature(body, 'new-secret').slice(3);
    expect(
      pagerdutyReceiver.verify(
        { headers: { 'x-pagerduty-signature': unversioned }, body },
        'new-secret',
      ),
    ).toBe(false);
  });

  it('refuses a delivery without an event object, naming it', () => {
    expect(pagerdutyReceiver.map({ headers, payload: { messages: [] } })).toEqual({
      ok: false,
      errors: [{ path: 'event', message: 'event: a PagerDuty v3 delivery has an event object' }],
    });
  });
});

runWebhookReceiverConformance({
  receiver: pagerdutyReceiver,
  samples: {
    sign,
    deliveries: [
      {
        name: 'incident.triggered',
        headers,
        payload: fixture('incident.triggered'),
        events: [
          {
            type: 'incident_opened',
            id: 'incident/Q1ZL7UGXQ0O9M5/triggered',
            ...common,
            occurredAt: '2026-11-20T10:30:05.312Z',
            attributes,
          },
        ],
      },
      {
        name: 'incident.resolved',
        headers,
        payload: fixture('incident.resolved'),
        events: [
          {
            type: 'incident_resolved',
            id: 'incident/Q1ZL7UGXQ0O9M5/resolved',
            ...common,
            occurredAt: '2026-11-20T11:15:44.010Z',
            attributes,
          },
        ],
      },
    ],
    ignored: [
      { name: 'incident.acknowledged', headers, payload: fixture('incident.acknowledged') },
      { name: 'the ping of a new subscription', headers, payload: fixture('pagey.ping') },
    ],
    unmappable: [
      {
        name: 'an incident.triggered without its incident id',
        headers,
        payload: { event: { event_type: 'incident.triggered', data: {} } },
        message: /event\.data\.id: missing/,
      },
    ],
  },
});
