import { describe, expect, it } from 'vitest';
import { deliveryEventLimits, parseDeliveryEvent } from './delivery-event.ts';

const valid = {
  type: 'deploy_started',
  occurredAt: '2026-11-20T10:00:00Z',
  service: 'api',
  environment: 'production',
  commit: 'abc',
};
const context = { receivedAt: '2026-11-22T12:00:00.000Z' };

/** `{"a":{"a":…{"a":1}…}}` with `depth` objects, built without recursion. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

describe('parseDeliveryEvent', () => {
  it('accepts a valid event', () => {
    expect(parseDeliveryEvent(valid, context)).toEqual({ ok: true, value: valid });
  });

  it.each([
    [{ ...valid, type: 'deployed' }, 'type'],
    [{ ...valid, occurredAt: 'yesterday' }, 'occurredAt'],
    [{ ...valid, occurredAt: '2026-11-20T10:00:00' }, 'occurredAt'],
    [{ ...valid, service: '' }, 'service'],
    [{ ...valid, result: 'ok' }, 'result'],
    [{ ...valid, commits: ['a', 3] }, 'commits[1]'],
    [{ ...valid, colour: 'blue' }, ''],
  ])('names the field of %j', (event, path) => {
    const result = parseDeliveryEvent(event, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.path).toBe(path);
  });

  it('accepts attributes nested as deep as the limit', () => {
    const attributes = { team: 'payments', deep: nested(deliveryEventLimits.attributeDepth - 1) };
    expect(parseDeliveryEvent({ ...valid, attributes }, context).ok).toBe(true);
  });

  it.each([
    ['objects', nested(9)],
    ['objects 100,000 deep', nested(100_000)],
    [
      'arrays',
      (() => {
        let value: unknown = [1];
        for (let i = 1; i < 100_000; i++) value = [value];
        return { a: value };
      })(),
    ],
  ])('refuses attributes nested deeper than 8 levels (%s), naming the path', (_, attributes) => {
    const result = parseDeliveryEvent({ ...valid, attributes }, context);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'attributes',
          message: expect.stringMatching(
            /^attributes: nested deeper than 8 levels at attributes(\.a){8}$|^attributes: nested deeper than 8 levels at attributes\.a(\[0\]){7}$/,
          ),
        },
      ],
    });
  });

  it('refuses attributes larger than 64 KiB of JSON and accepts them at the limit', () => {
    // {"x":"…"} is 8 bytes around the value; é is 2 bytes of UTF-8.
    const at = (bytes: number) => ({ x: 'é'.repeat((bytes - 8) / 2) });
    expect(parseDeliveryEvent({ ...valid, attributes: at(65_536) }, context).ok).toBe(true);
    const over = parseDeliveryEvent({ ...valid, attributes: at(65_538) }, context);
    expect(over).toEqual({
      ok: false,
      errors: [
        {
          path: 'attributes',
          message: 'attributes: larger than 64 KiB (more than 65536 bytes of JSON)',
        },
      ],
    });
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
    expect(parseDeliveryEvent({ ...valid, attributes: wide }, context).ok).toBe(false);
    expect(
      parseDeliveryEvent({ ...valid, attributes: { x: 'y'.repeat(10 * 1024 * 1024) } }, context).ok,
    ).toBe(false);
  });

  it.each([
    '0001-01-01T00:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:30:00+01:00',
    '2026-11-23T12:00:00.001Z',
    '3026-01-01T00:00:00Z',
    '9999-12-31T23:59:59-23:59',
  ])('refuses occurredAt %s, naming the field, the value and the range', (occurredAt) => {
    expect(parseDeliveryEvent({ ...valid, occurredAt }, context)).toEqual({
      ok: false,
      errors: [
        {
          path: 'occurredAt',
          message: `occurredAt: ${occurredAt} is outside the accepted range 1970-01-01T00:00:00.000Z to 2026-11-23T12:00:00.000Z (at most 24 h after candor received it)`,
        },
      ],
    });
  });

  it.each(['1970-01-01T00:00:00Z', '2026-11-23T12:00:00Z', '2026-11-23T13:00:00+01:00'])(
    'accepts occurredAt %s at the edges of the range',
    (occurredAt) => {
      expect(parseDeliveryEvent({ ...valid, occurredAt }, context).ok).toBe(true);
    },
  );

  it('reports an out-of-range time together with the other problems', () => {
    const result = parseDeliveryEvent(
      { ...valid, service: '', occurredAt: '3026-01-01T00:00:00Z' },
      context,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['service', 'occurredAt']);
  });
});
