import { describe, expect, it } from 'vitest';
import { detectionOrder } from './detection-order.ts';

describe('detectionOrder', () => {
  it('asks catch-all readers last, each group in registry order', () => {
    expect(
      detectionOrder({
        xml: { id: 'xml', isCatchAll: true },
        json: { id: 'json', isCatchAll: true },
        nunit: { id: 'nunit' },
        trx: { id: 'trx', isCatchAll: false },
      }),
    ).toEqual(['nunit', 'trx', 'xml', 'json']);
  });

  it('keeps the registry order when no reader is a catch-all', () => {
    expect(detectionOrder({ b: { id: 'b' }, a: { id: 'a' } })).toEqual(['b', 'a']);
  });
});
