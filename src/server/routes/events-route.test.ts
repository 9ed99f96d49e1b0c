import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import { countDeliveryEvents } from '../../store/repositories/delivery/delivery-event.repository.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { buildServer } from '../build-server.ts';

const now = new Date('2026-11-20T12:00:00.000Z');
const event = (overrides: Record<string, unknown> = {}) => ({
  type: 'deploy_finished',
  occurredAt: '2026-11-20T10:00:00Z',
  service: 'api',
  environment: 'production',
  deployment: 'd1',
  result: 'success',
  source: 'ci',
  ...overrides,
});

describe.each(testDialects)('POST /api/v1/events on %s', (dialect) => {
  let store: TestStore;
  let app: FastifyInstance;
  let token: string;
  const send = (payload: unknown) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  beforeAll(async () => {
    store = await openTestStore(dialect);
    app = await buildServer({ store, bodyLimitBytes: 1024 * 1024, logger: false, now: () => now });
    token = (
      await createApiToken(store, { name: 'ci', scopes: ['ingest'], now: now.toISOString() })
    ).secret;
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('lists conflicting repeats of an id (in the batch and against the ledger) with 201', async () => {
    expect((await send(event({ id: 'c1' }))).statusCode).toBe(201);
    const response = await send([
      event({ id: 'c1', result: 'failure' }),
      event({ id: 'c2' }),
      event({ id: 'c2', service: 'web' }),
      event({ id: 'c2', service: 'worker', environment: 'staging' }),
      event({ id: 'c2' }),
    ]);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      accepted: 5,
      ignored: 0,
      stored: 1,
      duplicates: 4,
      conflicts: [
        {
          index: 0,
          source: 'ci',
          id: 'c1',
          fields: ['result'],
          message:
            'source "ci" id "c1" is already stored with a different result; the stored event is kept',
        },
        expect.objectContaining({ index: 2, id: 'c2', fields: ['service'] }),
        expect.objectContaining({ index: 3, id: 'c2', fields: ['service', 'environment'] }),
      ],
      errors: [],
      warnings: [],
    });
    const rows = await store.db
      .selectFrom('delivery_events')
      .select(['id', 'service', 'result'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'c1', service: 'api', result: 'success' },
      { id: 'c2', service: 'api', result: 'success' },
    ]);
  });

  // Deeper than the schema allows, within the 32 levels the HTTP parser reads (deeper is a 400).
  const deep = `[${'['.repeat(12)}1${']'.repeat(12)}]`;
  it.each([
    [
      { occurredAt: '3026-01-01T00:00:00Z' },
      'event 1: occurredAt: 3026-01-01T00:00:00Z is outside',
    ],
    [
      { occurredAt: '0001-01-01T00:00:00Z' },
      'event 1: occurredAt: 0001-01-01T00:00:00Z is outside',
    ],
    [
      { attributes: { a: 'DEEP' } },
      'event 1: attributes: nested deeper than 8 levels at attributes.a[0][0][0][0][0][0]',
    ],
    [{ attributes: { log: 'x'.repeat(100_000) } }, 'event 1: attributes: larger than 64 KiB'],
  ])('refuses %# with 422 naming the field, storing nothing of the batch', async (bad, message) => {
    const before = await countDeliveryEvents(store.db);
    const body = JSON.stringify([event({ id: 'fine' }), event({ id: 'bad', ...bad })]);
    const response = await send(body.replace('"DEEP"', deep));
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toEqual({
      code: 'invalid-event',
      message: expect.stringContaining(message) as string,
    });
    expect(await countDeliveryEvents(store.db)).toBe(before);
  });

  it('stores an event that can never count with a warning that says why (201)', async () => {
    const response = await send(event({ id: 'w1', deployment: undefined }));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      stored: 1,
      warnings: [
        {
          index: 0,
          path: 'deployment',
          message:
            'deploy_finished names no deployment or commit: it cannot be placed on a deployment and never counts',
        },
      ],
    });
  });
});

describe.each(testDialects)('CDEvents on POST /api/v1/events on %s', (dialect) => {
  let store: TestStore;
  let app: FastifyInstance;
  let token: string;
  const send = (payload: unknown, contentType = 'application/cloudevents-batch+json') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      payload: JSON.stringify(payload),
    });
  const cloudEvent = (id: string, type: string, content: Record<string, unknown> = {}) => ({
    specversion: '1.0',
    id,
    source: 'tekton/prod',
    type,
    datacontenttype: 'application/json',
    data: {
      context: { id, source: 'tekton/prod', type, timestamp: '2026-11-20T10:00:00Z' },
      subject: { id: 'api', content: { environment: { id: 'production' }, ...content } },
      customData: { deployment: 'd-9', commit: 'abc' },
    },
  });
  beforeAll(async () => {
    store = await openTestStore(dialect);
    app = await buildServer({ store, bodyLimitBytes: 1024 * 1024, logger: false, now: () => now });
    token = (
      await createApiToken(store, { name: 'ci', scopes: ['ingest'], now: now.toISOString() })
    ).secret;
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('ignores the types candor does not map (counted in ignored) and stores the rest of the batch', async () => {
    const response = await send([
      cloudEvent('q-1', 'dev.cdevents.pipelinerun.queued.0.2.0'),
      cloudEvent('p-1', 'dev.cdevents.pipelinerun.finished.0.2.0', { outcome: 'success' }),
      cloudEvent('d-1', 'dev.cdevents.service.deployed.0.3.0'),
    ]);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      accepted: 1,
      ignored: 2,
      stored: 1,
      duplicates: 0,
      conflicts: [],
      errors: [],
      warnings: [],
    });
    const rows = await store.db.selectFrom('delivery_events').select(['id', 'type']).execute();
    expect(rows).toEqual([{ id: 'd-1', type: 'deploy_finished' }]);
  });

  it('answers 201 with ignored: 1 for a lone unmapped CDEvent, never a 422', async () => {
    const response = await send(
      cloudEvent('q-2', 'dev.cdevents.taskrun.started.0.2.0'),
      'application/cloudevents+json',
    );
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ accepted: 0, ignored: 1, stored: 0 });
  });

  it('stores a service.rolledback as rollback_triggered and rollback_finished, idempotently', async () => {
    const rolledBack = cloudEvent('rb-1', 'dev.cdevents.service.rolledback.0.3.0');
    const first = await send([rolledBack]);
    expect(first.json()).toMatchObject({ accepted: 2, ignored: 0, stored: 2, duplicates: 0 });
    const again = await send([rolledBack]);
    expect(again.json()).toMatchObject({ accepted: 2, stored: 0, duplicates: 2, conflicts: [] });
    const rows = await store.db
      .selectFrom('delivery_events')
      .select(['id', 'type', 'deployment', 'result'])
      .where('id', 'like', 'rb-1%')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'rb-1', type: 'rollback_finished', deployment: 'd-9', result: 'success' },
      { id: 'rb-1:triggered', type: 'rollback_triggered', deployment: 'd-9', result: null },
    ]);
  });
});
