import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/tokens/api-tokens.ts';
import { candorBin } from '../testing/run-cli-binary.ts';
import { listRuns } from '../store/repositories/tests/test-result.repository.ts';
import { openTestStore, testDialects, type TestStore } from '../testing/open-test-store.ts';
import { buildServer } from './build-server.ts';

const surefire = readFileSync(
  new URL('../readers/test-results/junit/__fixtures__/edge/surefire-reruns.xml', import.meta.url),
);
const now = () => new Date('2026-11-20T12:00:00.000Z');

describe.each(testDialects)('HTTP API on %s', (dialect) => {
  let store: TestStore;
  let app: FastifyInstance;
  const tokens: Record<'ingest' | 'read' | 'admin', string> = { ingest: '', read: '', admin: '' };

  beforeAll(async () => {
    store = await openTestStore(dialect);
    app = await buildServer({ store, bodyLimitBytes: 64 * 1024, logger: false, now });
    for (const scope of ['ingest', 'read', 'admin'] as const) {
      tokens[scope] = (
        await createApiToken(store, { name: scope, scopes: [scope], now: now().toISOString() })
      ).secret;
    }
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  const post = (
    body: string | Buffer,
    query = '',
    token: string | undefined = tokens.ingest,
    type = 'application/xml',
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/test-reports${query}`,
      headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: body,
    });

  it('answers /healthz without a token', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('ingests a raw JUnit body and answers with the CLI summary', async () => {
    const response = await post(
      surefire,
      '?run=h1&repo=acme/api&commit=abc&branch=main&path=target/TEST-x.xml',
    );
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      run: 'h1',
      files: [
        {
          path: 'target/TEST-x.xml',
          format: 'junit',
          tests: 4,
          passed: 1,
          failed: 2,
          skipped: 0,
          flaky: 1,
          errors: [],
          duplicate: false,
          testCases: 4,
        },
      ],
      totals: { files: 1, tests: 4, passed: 1, failed: 2, skipped: 0, flaky: 1 },
    });
  });

  it('stores the same report into the same run once (200, duplicate)', async () => {
    const response = await post(surefire, '?run=h1');
    expect(response.statusCode).toBe(200);
    expect(response.json().files[0]).toMatchObject({ duplicate: true, tests: 4 });
  });

  it('ingests CTRF sent as application/json', async () => {
    const ctrf = JSON.stringify({
      results: {
        tool: { name: 'jest' },
        tests: [{ name: 'a', status: 'passed', duration: 1, filePath: 'a.test.js' }],
      },
    });
    const response = await post(ctrf, '?run=h2', tokens.admin, 'application/json');
    expect(response.statusCode).toBe(201);
    expect(response.json().files[0]).toMatchObject({ format: 'ctrf', tests: 1, passed: 1 });
  });

  it('rejects a bad report with 422, the error shape and the summary, storing nothing', async () => {
    const response = await post('<testsuite><testcase name="a">', '?run=h3');
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.error).toEqual({
      code: 'invalid-report',
      message: expect.stringMatching(/at 1:\d+$/),
    });
    expect(body.files[0].errors[0]).toMatchObject({ line: 1 });
    expect((await listRuns(store.db, { limit: 10 })).map((r) => r.id)).not.toContain('h3');
  });

  it.each([
    ['no token', '', 401, 'unauthorized'],
    ['an unknown token', 'candor_nope', 401, 'unauthorized'],
    ['a read token', 'read', 403, 'forbidden'],
  ])('refuses ingest with %s', async (_name, token, status, code) => {
    const secret = token === 'read' ? tokens.read : token;
    const response = await post(surefire, '?run=h4', secret);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ error: { code, message: expect.any(String) } });
  });

  it('refuses a body over the configured limit with 413', async () => {
    const response = await post(Buffer.alloc(65 * 1024, 32), '?run=h5');
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload-too-large');
  });

  it('names the field of a bad query parameter', async () => {
    const response = await post(surefire, '?startedAt=yesterday');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('query.startedAt'),
    });
  });

  it('starts a run at the report timestamp without startedAt, and at startedAt when given', async () => {
    const stamped = (id: string) =>
      `<testsuites><testsuite name="s" timestamp="2026-11-18T08:00:00"><testcase classname="c" name="${id}"/></testsuite></testsuites>`;
    expect((await post(stamped('a'), '?run=ts1&repo=acme/stamped')).statusCode).toBe(201);
    const given = '?run=ts2&repo=acme/stamped&startedAt=2026-11-19T00:00:00Z';
    expect((await post(stamped('b'), given)).statusCode).toBe(201);
    const runs = await listRuns(store.db, { repo: 'acme/stamped', limit: 10 });
    expect(runs.map((r) => `${r.id} ${r.startedAt}`)).toEqual([
      'ts2 2026-11-19T00:00:00.000Z',
      'ts1 2026-11-18T08:00:00.000Z',
    ]);
  });

  it('lists runs for a read token, not for an ingest-only token', async () => {
    const ok = await app.inject({
      method: 'GET',
      url: '/api/v1/runs',
      headers: { authorization: `Bearer ${tokens.read}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().runs.find((r: { id: string }) => r.id === 'h1')).toMatchObject({
      repo: 'acme/api',
      tests: 4,
      flaky: 1,
    });
    const denied = await app.inject({
      method: 'GET',
      url: '/api/v1/runs',
      headers: { authorization: `Bearer ${tokens.ingest}` },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('records events (one or an array), idempotently, and refuses a bad batch whole', async () => {
    const event = {
      type: 'deploy_finished',
      occurredAt: '2026-11-20T10:00:00Z',
      service: 'api',
      environment: 'production',
      deployment: 'd1',
      result: 'success',
      id: 'e1',
      source: 'ci',
    };
    const send = (payload: unknown) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: `Bearer ${tokens.ingest}` },
        payload: payload as object,
      });
    const first = await send([event, { ...event, id: 'e2' }]);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({
      accepted: 2,
      ignored: 0,
      stored: 2,
      duplicates: 0,
      conflicts: [],
      errors: [],
      warnings: [],
    });
    expect((await send(event)).json()).toMatchObject({ stored: 0, duplicates: 1 });
    const bad = await send([
      { ...event, id: 'e3' },
      { ...event, id: 'e4', occurredAt: 'later' },
    ]);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toEqual({
      code: 'invalid-event',
      message: expect.stringContaining('event 1: occurredAt'),
    });
    expect(
      await store.db
        .selectFrom('delivery_events')
        .select('id')
        .where('id', '=', 'e3')
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('exposes flake-budget gauges once test reports exist', async () => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/^candor_flake_rate\{window="14d"\} \d/m);
    expect(text).toMatch(/^candor_flaky_tests\{window="14d"\} \d+/m);
  });

  it('answers unknown routes with the error shape', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not-found');
  });
});

describe('two candor serve processes sharing one PostgreSQL', () => {
  let store: TestStore;
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    store = await openTestStore('postgres');
  });
  afterAll(async () => {
    for (const server of servers) server.kill('SIGTERM');
    await Promise.all(
      servers.map((s) => (s.exitCode === null ? once(s, 'exit') : Promise.resolve())),
    );
    await store.drop();
  });

  async function startServer(): Promise<string> {
    const child = spawn(
      process.execPath,
      [candorBin, 'serve', '--port', '0', '--log-level', 'error'],
      {
        env: { PATH: process.env['PATH'] ?? '', CANDOR_DATABASE_URL: store.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    servers.push(child);
    let output = '';
    for await (const chunk of child.stdout) {
      output += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) return match[1];
    }
    throw new Error(`server exited: ${output}`);
  }

  it('stores every report sent concurrently to both, with no loss and no duplicate', async () => {
    const [a, b] = await Promise.all([startServer(), startServer()]);
    const { secret } = await createApiToken(store, {
      name: 'ci',
      scopes: ['ingest'],
      now: now().toISOString(),
    });
    const reports = Array.from(
      { length: 40 },
      (_, i) =>
        `<testsuite><testcase classname="own" name="report-${i}"/>${Array.from({ length: 49 }, (_, j) => `<testcase classname="shared.Suite" name="t${j}"${(i + j) % 7 === 0 ? '><failure/></testcase>' : '/>'}`).join('')}</testsuite>`,
    );
    const send = (base: string, body: string, run: string) =>
      fetch(`${base}/api/v1/test-reports?run=${run}&repo=acme/load`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/xml' },
        body,
      }).then((r) => r.status);
    // Every report twice (once to each server) into the same run: 40 stored, 40 duplicates.
    const statuses = await Promise.all(
      reports.flatMap((body, i) => [
        send(a, body, `load-${i % 4}`),
        send(b, body, `load-${i % 4}`),
      ]),
    );
    expect(statuses.filter((s) => s !== 200 && s !== 201)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(40);
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
    const reportsStored = await store.db
      .selectFrom('test_reports')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(reportsStored.n)).toBe(40);
    const executions = await store.db
      .selectFrom('test_executions')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(executions.n)).toBe(40 * 50);
    const tests = await store.db
      .selectFrom('tests')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    // 49 shared identities plus one of each report's own.
    expect(Number(tests.n)).toBe(49 + 40);
  });
});
