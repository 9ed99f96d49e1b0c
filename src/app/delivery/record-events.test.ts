import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDeliveryEvents } from '../../store/repositories/delivery/delivery-event.repository.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { importEvents, importLimits } from './import-events.ts';
import { deriveEventId, recordEvents } from './record-events.ts';

const receivedAt = '2026-11-22T12:00:00.000Z';
const event = (overrides: Record<string, unknown> = {}) => ({
  type: 'deploy_started',
  occurredAt: '2026-11-20T10:00:00+02:00',
  service: 'api',
  environment: 'production',
  commit: 'abc',
  ...overrides,
});
/** The text as a byte stream, in chunks of `size` bytes. */
async function* lines(text: string, size = 7): AsyncGenerator<Uint8Array> {
  const data = new TextEncoder().encode(text);
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}
/** `{"a":{"a":…}}`, `depth` objects deep, built without recursion. */
const nested = (depth: number) => {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
};

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
    expect(first).toMatchObject({
      accepted: 1,
      ignored: 0,
      stored: 1,
      duplicates: 0,
      conflicts: [],
      errors: [],
    });
    const again = await recordEvents(
      store,
      [{ value: event({ id: 'd1', source: 'gha', service: 'changed' }) }],
      { receivedAt, atomic: true },
    );
    expect(again).toMatchObject({
      stored: 0,
      duplicates: 1,
      conflicts: [{ index: 0, source: 'gha', id: 'd1', fields: ['service'] }],
    });
    expect(again.conflicts[0]?.message).toBe(
      'source "gha" id "d1" is already stored with a different service; the stored event is kept',
    );
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

  it('reports each repeat of one id with other content in a batch, against the first', async () => {
    const result = await recordEvents(
      store,
      [
        { value: event({ id: 'b1' }) },
        { value: event({ id: 'b1', service: 'web' }) },
        { value: event({ id: 'b1' }) },
        { value: event({ id: 'b1', commit: 'def', occurredAt: '2026-11-20T09:00:00Z' }) },
      ],
      { receivedAt, atomic: true },
    );
    expect(result).toMatchObject({ accepted: 4, stored: 1, duplicates: 3 });
    expect(result.conflicts.map((c) => [c.index, c.fields])).toEqual([
      [1, ['service']],
      [3, ['occurredAt', 'commit']],
    ]);
    const row = await store.db
      .selectFrom('delivery_events')
      .select(['service', 'commit_sha'])
      .where('id', '=', 'b1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ service: 'api', commit_sha: 'abc' });
  });

  it('sees the same content in another spelling as a plain duplicate, not a conflict', async () => {
    const first = event({ id: 'same', attributes: { a: 1, b: { c: [1, 2] } } });
    await recordEvents(store, [{ value: first }], { receivedAt, atomic: true });
    const again = await recordEvents(
      store,
      [
        {
          value: event({
            id: 'same',
            occurredAt: '2026-11-20T08:00:00Z',
            attributes: { b: { c: [1, 2] }, a: 1 },
          }),
        },
      ],
      { receivedAt: '2026-11-23T00:00:00.000Z', atomic: true },
    );
    expect(again).toMatchObject({ stored: 0, duplicates: 1, conflicts: [] });
    const changed = await recordEvents(
      store,
      [{ value: event({ id: 'same', attributes: { a: 1, b: { c: [2, 1] } } }) }],
      { receivedAt, atomic: true },
    );
    expect(changed.conflicts.map((c) => c.fields)).toEqual([['attributes']]);
  });

  it.each([
    [{ attributes: nested(100_000) }, 'attributes', /nested deeper than 8 levels at attributes/],
    [{ attributes: { log: 'x'.repeat(10 * 1024 * 1024) } }, 'attributes', /larger than 64 KiB/],
    [{ occurredAt: '0001-01-01T00:00:00Z' }, 'occurredAt', /outside the accepted range/],
    [{ occurredAt: '9999-12-31T23:59:59Z' }, 'occurredAt', /outside the accepted range/],
  ])('refuses %#, naming the field, and stores nothing', async (overrides, path, message) => {
    const before = await countDeliveryEvents(store.db);
    const result = await recordEvents(
      store,
      [{ value: event({ id: 'fine' }) }, { value: event({ id: 'refused', ...overrides }) }],
      { receivedAt, atomic: true },
    );
    expect(result.errors).toEqual([
      { index: 1, path, message: expect.stringMatching(message) as string },
    ]);
    expect(await countDeliveryEvents(store.db)).toBe(before);
  });

  it('imports around a too-long line, CRLF and no final newline, naming the line', async () => {
    const text = [
      JSON.stringify(event({ id: 'long-1' })),
      `{"type":"deploy_started","pad":"${'x'.repeat(200)}"}`,
      JSON.stringify(event({ id: 'long-3' })),
    ].join('\r\n');
    const result = await importEvents(store, lines(text), {
      receivedAt,
      atomic: false,
      maxLineBytes: 150,
    });
    expect(result).toMatchObject({ accepted: 2, stored: 2 });
    expect(result.errors).toEqual([
      {
        index: 1,
        line: 2,
        path: '',
        message: 'line 2: 234 bytes, longer than the limit of 150 bytes; skipped',
      },
    ]);
    const atomic = await importEvents(store, lines(text.replace(/long-/g, 'atomic-long-')), {
      receivedAt,
      atomic: true,
      maxLineBytes: 150,
    });
    expect(atomic).toMatchObject({ stored: 0, errors: [{ line: 2 }] });
    expect(
      await store.db
        .selectFrom('delivery_events')
        .select('id')
        .where('id', 'like', 'atomic-long-%')
        .execute(),
    ).toEqual([]);
  });

  it('reports conflicts by line within one import and across its chunks, atomic or not', async () => {
    for (const atomic of [false, true]) {
      const id = (n: number) => `chunked-${atomic}-${n}`;
      const rows = Array.from({ length: importLimits.chunkSize + 1 }, (_, n) =>
        JSON.stringify(event({ id: id(n) })),
      );
      rows.push(JSON.stringify(event({ id: id(0), service: 'web' })));
      rows.push(JSON.stringify(event({ id: id(importLimits.chunkSize), result: 'failure' })));
      const result = await importEvents(store, lines(rows.join('\n'), 64 * 1024), {
        receivedAt,
        atomic,
      });
      expect(result).toMatchObject({ stored: importLimits.chunkSize + 1, duplicates: 2 });
      expect(result.conflicts.map((c) => [c.line, c.id, c.fields])).toEqual([
        [importLimits.chunkSize + 2, id(0), ['service']],
        [importLimits.chunkSize + 3, id(importLimits.chunkSize), ['result']],
      ]);
      expect(result.conflicts[0]?.message).toMatch(
        new RegExp(`^line ${importLimits.chunkSize + 2}: source "default" id "${id(0)}"`),
      );
    }
  });

  it('rolls an atomic import back and leaves no transaction open when the input fails', async () => {
    const before = await countDeliveryEvents(store.db);
    const ids = Array.from({ length: importLimits.chunkSize + 10 }, (_, n) => `broken-${n}`);
    async function* failing() {
      // More than one chunk, so a transaction is open when the input fails.
      yield new TextEncoder().encode(ids.map((id) => JSON.stringify(event({ id }))).join('\n'));
      yield new TextEncoder().encode('\n');
      throw new Error('the pipe broke');
    }
    await expect(importEvents(store, failing(), { receivedAt, atomic: true })).rejects.toThrow(
      'the pipe broke',
    );
    expect(await countDeliveryEvents(store.db)).toBe(before);
    // A transaction left open would hold these keys (PostgreSQL) or the one connection (SQLite).
    const again = await recordEvents(
      store,
      ids.map((id) => ({ value: event({ id }) })),
      { receivedAt, atomic: true },
    );
    expect(again.stored).toBe(ids.length);
  });

  it('imports nested, oversized and out-of-range events as bad lines, not a crash', async () => {
    const before = await countDeliveryEvents(store.db);
    const deep = `{"type":"deploy_started","occurredAt":"2026-11-20T10:00:00Z","service":"api","attributes":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    const text = [
      deep,
      JSON.stringify(event({ id: 'big', attributes: { log: 'x'.repeat(70_000) } })),
      JSON.stringify(event({ id: 'future', occurredAt: '3026-01-01T00:00:00Z' })),
    ].join('\n');
    const result = await importEvents(store, lines(text, 4096), { receivedAt, atomic: false });
    expect(result.errors.map((e) => [e.line, e.path])).toEqual([
      [1, 'attributes'],
      [2, 'attributes'],
      [3, 'occurredAt'],
    ]);
    expect(result.errors[0]?.message).toMatch(
      /^line 1: attributes: nested deeper than 8 levels at attributes(\.a){8}$/,
    );
    expect(await countDeliveryEvents(store.db)).toBe(before);
  });
});

describe('deriveEventId', () => {
  const base = {
    type: 'deploy_started' as const,
    occurredAt: '2026-11-20T10:00:00Z',
    service: 'api',
  };

  it('keeps the id earlier versions derived for an event without attributes', () => {
    const legacy = `sha256:${createHash('sha256')
      .update(JSON.stringify(base, Object.keys(base).sort()))
      .digest('hex')
      .slice(0, 32)}`;
    expect(deriveEventId(base)).toBe(legacy);
  });

  it('gives events that differ only in their attributes different ids', () => {
    expect(deriveEventId({ ...base, attributes: { team: 'a' } })).not.toBe(
      deriveEventId({ ...base, attributes: { team: 'b' } }),
    );
  });

  it('does not depend on the order of keys at any level', () => {
    expect(deriveEventId({ ...base, attributes: { a: 1, b: { c: 2, d: 3 } } })).toBe(
      deriveEventId({
        attributes: { b: { d: 3, c: 2 }, a: 1 },
        service: 'api',
        occurredAt: base.occurredAt,
        type: base.type,
      }),
    );
  });
});
