import { describe, expect, it } from 'vitest';
import { parseDeliveryEvent } from './delivery-event.ts';

const valid = {
  type: 'deploy_started',
  occurredAt: '2026-11-20T10:00:00Z',
  service: 'api',
  environment: 'production',
  commit: 'abc',
};

describe('parseDeliveryEvent', () => {
  it('accepts a valid event', () => {
    expect(parseDeliveryEvent(valid)).toEqual({ ok: true, value: valid });
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
    const result = parseDeliveryEvent(event);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.path).toBe(path);
  });
});
