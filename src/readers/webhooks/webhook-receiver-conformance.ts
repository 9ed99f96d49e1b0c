import { describe, expect, it } from 'vitest';
import { parseDeliveryEvent, type DeliveryEvent } from '../../core/delivery/delivery-event.ts';
import { skippedCases, type ConformanceSkip } from '../../testing/skipped-cases.ts';
import type { WebhookHeaders, WebhookReceiver } from './webhook-receiver.ts';
import { isWebhookReceiverId } from './webhook-receivers.ts';

/** One delivery as its sender posts it: the headers that name its kind, and its JSON. */
export type WebhookSample = { name: string; headers: WebhookHeaders; payload: unknown };

/** A receiver's samples, written by its own test from the sender's documented examples. */
export type WebhookReceiverSamples = {
  /** The headers that authenticate `body` with `secret`, as the sender computes them. */
  sign(body: Uint8Array, secret: string): Record<string, string>;
  /** Deliveries of the kinds it reads, each with the events candor stores for it. */
  deliveries: readonly (WebhookSample & { events: readonly DeliveryEvent[] })[];
  /** Deliveries of kinds, actions or states candor does not record. */
  ignored: readonly WebhookSample[];
  /** Deliveries of a kind it reads that lack what the mapping needs, with what the problem says. */
  unmappable?: readonly (WebhookSample & { message: RegExp })[] | undefined;
};

/** The cases of the suite, by name: what a receiver's `skip` may list. */
export const webhookReceiverConformanceCases = [
  'maps its samples to the events candor stores',
  'gives every event a source and an id derived from the delivery',
  'ignores the kinds it does not record',
  'refuses what it cannot map, as a value',
  'accepts a delivery signed with the secret',
  'refuses a delivery signed with another secret',
  'refuses a delivery without a signature',
  'refuses a body changed after it was signed',
  'never throws on garbage',
] as const;
export type WebhookReceiverConformanceCase = (typeof webhookReceiverConformanceCases)[number];

/** The suite's fixed clock: every sample happened before it. */
const context = { receivedAt: '2030-01-01T00:00:00.000Z' };
const secret = 'conformance-secret';
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

const garbage: [string, unknown][] = [
  ['null', null],
  ['a number', 42],
  ['a string', 'deployment'],
  ['an empty array', []],
  ['an empty object', {}],
  ['an object of nulls', { event: null, action: null, object_kind: null, alert: null }],
  ['members of the wrong types', { event: [], commits: 'x', deployment: 7, object_attributes: [] }],
  ['an object without a prototype', Object.create(null) as unknown],
];
const garbageHeaders: [string, WebhookHeaders][] = [
  ['no headers', {}],
  ['blank headers', { 'x-github-event': '', 'x-gitlab-event': ' ' }],
  ['every kind header', { 'x-github-event': 'push', 'x-gitlab-event': 'Push Hook' }],
];

/**
 * Registers, in a `describe` block named after the receiver, the cases every webhook receiver
 * passes: it maps its samples to the events candor stores (after `parseDeliveryEvent`), each with
 * a source and an id that the same delivery maps to again (idempotency); it ignores the kinds it
 * does not record (no event, `ignored: 1`), refuses malformed deliveries as values with a path,
 * accepts a delivery signed as the sender signs it and refuses one signed with another secret,
 * unsigned, or whose body changed after signing, and never throws on garbage. A case listed in
 * `skip` is not registered; the receiver's readme lists it with the reason.
 */
export function runWebhookReceiverConformance(options: {
  receiver: WebhookReceiver;
  samples: WebhookReceiverSamples;
  skip?: readonly ConformanceSkip<WebhookReceiverConformanceCase>[];
}): void {
  const { receiver, samples } = options;
  const suite = `webhook receiver conformance: ${receiver.id}`;
  if (!isWebhookReceiverId(receiver.id)) throw new Error(`${suite}: not in webhook-receivers.ts`);
  const skipped = skippedCases(suite, webhookReceiverConformanceCases, options.skip);
  const named = <T extends { name: string }>(list: readonly T[] | undefined, what: string) => {
    if (list === undefined || list.length === 0) {
      throw new Error(`${suite}: this case needs samples.${what}, or a skip with a reason`);
    }
    return list.map((sample) => [sample.name, sample] as const);
  };
  const signed = (sample: WebhookSample, key = secret) => {
    const body = bytes(sample.payload);
    return { headers: { ...sample.headers, ...samples.sign(body, key) }, body };
  };

  const cases: Record<WebhookReceiverConformanceCase, () => void> = {
    'maps its samples to the events candor stores': () =>
      it.each(named(samples.deliveries, 'deliveries'))('maps %s', (_name, sample) => {
        const mapped = receiver.map(sample);
        expect(mapped.ok).toBe(true);
        if (!mapped.ok) return;
        expect(mapped.value.ignored).toBe(0);
        expect(mapped.value.events.map((event) => parseDeliveryEvent(event, context))).toEqual(
          sample.events.map((value) => ({ ok: true, value })),
        );
      }),

    'gives every event a source and an id derived from the delivery': () =>
      it.each(named(samples.deliveries, 'deliveries'))('derives ids for %s', (_name, sample) => {
        const first = receiver.map(sample);
        const again = receiver.map(structuredClone(sample));
        expect(again).toEqual(first);
        const events = first.ok ? first.value.events : [];
        expect(events.length).toBeGreaterThan(0);
        for (const event of events)
          expect(event).toMatchObject({ source: expect.any(String), id: expect.any(String) });
        const ids = events.map((event) => (event as { id: string }).id);
        expect(new Set(ids).size).toBe(ids.length);
      }),

    'ignores the kinds it does not record': () =>
      it.each(named(samples.ignored, 'ignored'))('ignores %s', (_name, sample) => {
        const mapped = receiver.map(sample);
        expect(mapped).toMatchObject({ ok: true, value: { events: [], ignored: 1 } });
      }),

    'refuses what it cannot map, as a value': () =>
      it.each(named(samples.unmappable, 'unmappable'))(
        'refuses %s with a path',
        (_name, sample) => {
          const mapped = receiver.map(sample);
          expect(mapped.ok).toBe(false);
          if (mapped.ok) return;
          expect(mapped.errors[0]?.message).toMatch(sample.message);
          expect(mapped.errors.every((p) => typeof p.path === 'string')).toBe(true);
        },
      ),

    'accepts a delivery signed with the secret': () =>
      it.each(named(samples.deliveries, 'deliveries'))('accepts %s', (_name, sample) => {
        expect(receiver.verify(signed(sample), secret)).toBe(true);
      }),

    'refuses a delivery signed with another secret': () =>
      it.each(named(samples.deliveries, 'deliveries'))('refuses %s', (_name, sample) => {
        expect(receiver.verify(signed(sample, 'another-secret'), secret)).toBe(false);
        expect(receiver.verify(signed(sample, `${secret}x`), secret)).toBe(false);
      }),

    'refuses a delivery without a signature': () =>
      it.each(named(samples.deliveries, 'deliveries'))('refuses %s', (_name, sample) => {
        expect(
          receiver.verify({ headers: sample.headers, body: bytes(sample.payload) }, secret),
        ).toBe(false);
      }),

    'refuses a body changed after it was signed': () =>
      it.each(named(samples.deliveries, 'deliveries'))('refuses %s', (_name, sample) => {
        const { headers, body } = signed(sample);
        const changed = new TextEncoder().encode(`${new TextDecoder().decode(body)} `);
        expect(receiver.verify({ headers, body: changed }, secret)).toBe(false);
      }),

    'never throws on garbage': () => {
      it.each(garbage)('maps %s to a value, never a throw', (_name, payload) => {
        for (const [, headers] of garbageHeaders) {
          const mapped = receiver.map({ headers, payload });
          if (!mapped.ok) for (const problem of mapped.errors) expect(problem.message).toBeTruthy();
        }
      });
      it.each(garbageHeaders)('verifies %s to false, never a throw', (_name, headers) => {
        const weird = {
          ...headers,
          authorization: 'Basic !!!',
          'x-hub-signature-256': 'sha256=zz',
        };
        expect(receiver.verify({ headers: weird, body: new Uint8Array() }, secret)).toBe(false);
      });
    },
  };

  describe(suite, () => {
    for (const name of webhookReceiverConformanceCases) if (!skipped.has(name)) cases[name]();
  });
}
