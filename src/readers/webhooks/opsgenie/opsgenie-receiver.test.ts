import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWebhookReceiverConformance } from '../webhook-receiver-conformance.ts';
import { opsgenieReceiver } from './opsgenie-receiver.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', `${name}.json`), 'utf8'));
const headers = { 'content-type': 'application/json' };
/** The custom header configured on the Opsgenie webhook integration. */
const sign = (_body: Uint8Array, secret: string) => ({ 'x-candor-token': secret });
const common = {
  source: 'opsgenie',
  service: 'shop',
  incident: '44f717bf-44bd-11c9-44c7-2d0cf1d07b23',
  attributes: { tinyId: '1791', priority: 'P1', alias: 'checkout-errors' },
} as const;
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('opsgenieReceiver', () => {
  const body = new Uint8Array();
  it('accepts the token as the password of basic authentication (credentials in the URL)', () => {
    expect(
      opsgenieReceiver.verify(
        { headers: { authorization: basic('opsgenie', 's3cret') }, body },
        's3cret',
      ),
    ).toBe(true);
    expect(
      opsgenieReceiver.verify({ headers: { authorization: basic('s3cret', 'x') }, body }, 's3cret'),
    ).toBe(false);
    expect(
      opsgenieReceiver.verify({ headers: { authorization: 'Bearer s3cret' }, body }, 's3cret'),
    ).toBe(false);
  });

  it('reads the service from the entity when the alert has no service detail', () => {
    const delivery = fixture('alert-create') as { alert: { details: object; entity: string } };
    delivery.alert.details = {};
    delivery.alert.entity = 'checkout';
    expect(opsgenieReceiver.map({ headers, payload: delivery })).toMatchObject({
      ok: true,
      value: { events: [{ service: 'checkout' }] },
    });
  });
});

runWebhookReceiverConformance({
  receiver: opsgenieReceiver,
  samples: {
    sign,
    deliveries: [
      {
        name: 'an alert created',
        headers,
        payload: fixture('alert-create'),
        events: [
          {
            type: 'incident_opened',
            id: 'alert/44f717bf-44bd-11c9-44c7-2d0cf1d07b23/opened',
            occurredAt: '2026-11-20T10:30:00.000Z',
            ...common,
          },
        ],
      },
      {
        name: 'an alert closed (updatedAt in nanoseconds)',
        headers,
        payload: fixture('alert-close'),
        events: [
          {
            type: 'incident_resolved',
            id: 'alert/44f717bf-44bd-11c9-44c7-2d0cf1d07b23/resolved',
            occurredAt: '2026-11-20T11:15:44.000Z',
            ...common,
          },
        ],
      },
    ],
    ignored: [{ name: 'an alert acknowledged', headers, payload: fixture('alert-acknowledge') }],
    unmappable: [
      {
        name: 'a Create without the alert id',
        headers,
        payload: { action: 'Create', alert: { message: 'x' } },
        message: /alert\.alertId: missing/,
      },
    ],
  },
  skip: [
    {
      reason:
        'Opsgenie signs nothing: the token is a custom header (or basic authentication) sent as it is, so a changed body keeps it (use HTTPS)',
      tests: ['refuses a body changed after it was signed'],
    },
  ],
});
