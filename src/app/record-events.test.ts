import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDeliveryEvents } from '../store/delivery-event.repository.ts';
import { openTestStore, testDialects, type TestStore } from '../store/test-stores.ts';
import { importEvents } from './import-events.ts';
import { recordEvents } from './record-events.ts';

const receivedAt = '2026-11-22T12:00:00.000Z';
const event = (overrides: Record<string, unknown> = {}) => ({
  type: 'deploy_started',
  occurredAt: '2026-11-20T10:00:00+02:00',
  service: 'api',
  environment: 'production',
  commit: 'abc',
  ...overrides,
});
const lines = (text: string) =>
  createInterface({ input: Readable.from([text]), crlfDelay: Infinity });

describe.each(testDialects)('delivery events on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('stores an event once per (source, id), keeping occurred and received apart', async () => {
    const first = await recordEvents(store, [{ value: event({ id: 'd1', source: 'gha' }) }], {
      receivedAt,
      atomic: true,
    });
    expect(first).toEqual({ accepted: 1, stored: 1, duplicates: 0, errors: [] });
    const again = await recordEvents(
      store,
      [{ value: event({ id: 'd1', source: 'gha', service: 'changed' }) }],
      { receivedAt, atomic: true },
    );
    expect(again).toMatchObject({ stored: 0, duplicates: 1 });
    const row = await store.db
      .selectFrom('delivery_events')
      .selectAll()
      .where('id', '=', 'd1')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      source: 'gha',
      service: 'api',
      occurred_at: '2026-11-20T08:00:00.000Z',
      received_at: receivedAt,
    });
  });

  it('derives an id from the content when there is none, so a re-send is a duplicate', async () => {
    const twice = await recordEvents(
      store,
      [{ value: event({ commit: 'zzz' }) }, { value: event({ commit: 'zzz' }) }],
      { receivedAt, atomic: true },
    );
    expect(twice).toMatchObject({ accepted: 2, stored: 1, duplicates: 1 });
  });

  it('stores nothing of an atomic batch with a bad event, naming its index and field', async () => {
    const before = await countDeliveryEvents(store.db);
    const result = await recordEvents(
      store,
      [{ value: event({ id: 'ok-1' }) }, { value: event({ id: 'bad', result: 'maybe' }) }],
      { receivedAt, atomic: true },
    );
    expect(result.errors).toEqual([expect.objectContaining({ index: 1, path: 'result' })]);
    expect(await countDeliveryEvents(store.db)).toBe(before);
  });

  it('imports JSON lines, reporting bad lines by number and storing the good ones', async () => {
    const text = [
      JSON.stringify(event({ id: 'l1' })),
      '',
      '{"type": "deploy_started",',
      JSON.stringify(event({ id: 'l4', occurredAt: 'soon' })),
      JSON.stringify(event({ id: 'l5' })),
    ].join('\n');
    const result = await importEvents(store, lines(text), { receivedAt, atomic: false });
    expect(result).toMatchObject({ accepted: 2, stored: 2 });
    expect(result.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(result.errors[1]?.message).toBe('line 4: occurredAt: Invalid ISO datetime');
  });

  it('imports nothing with --atomic when a line is bad', async () => {
    const before = await countDeliveryEvents(store.db);
    const text = [JSON.stringify(event({ id: 'a1' })), 'not json'].join('\n');
    const result = await importEvents(store, lines(text), { receivedAt, atomic: true });
    expect(result).toMatchObject({
      accepted: 0,
      stored: 0,
      errors: [expect.objectContaining({ line: 2 })],
    });
    expect(await countDeliveryEvents(store.db)).toBe(before);
  });
});
