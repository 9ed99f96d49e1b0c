import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCiHealth } from '../../app/ci-health/build-ci-health.ts';
import { buildFlakyReport } from '../../app/flaky/build-flaky-report.ts';
import { parseCodeowners } from '../../app/flaky/codeowners.ts';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import { CiHealthQuery, defaultFlakyQuery } from '../../contracts/queries.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { buildServer } from '../build-server.ts';

const now = new Date('2026-11-20T12:00:00.000Z');

/** Run i: `a` passes (1.5 s); `b` fails on even runs and passes on odd ones, on the same commit. */
function report(i: number): string {
  const b =
    i % 2 === 0
      ? '<testcase classname="c" name="b" file="b.test.ts" time="0.5"><failure message="boom"/></testcase>'
      : '<testcase classname="c" name="b" file="b.test.ts" time="0.5"/>';
  return `<testsuites><testsuite name="s" tests="2"><testcase classname="c" name="a" file="a.test.ts" time="1.5"/>${b}</testsuite></testsuites>`;
}
const runs = 6;
const startedAt = (i: number) => new Date(now.getTime() - (runs - i) * 3_600_000).toISOString();

/** Every read route a CI job calls with a `read` token, as a request without auth. */
const readRoutes = [
  { method: 'GET', url: '/api/v1/flaky' },
  { method: 'POST', url: '/api/v1/flaky', payload: {} },
  { method: 'GET', url: '/api/v1/flaky/budget' },
  { method: 'GET', url: '/api/v1/quarantine/suggestions' },
  { method: 'GET', url: '/api/v1/tests/history?key=b.test.ts::c::b' },
  { method: 'POST', url: '/api/v1/split?shards=2', payload: { units: ['a.test.ts'] } },
  { method: 'POST', url: '/api/v1/verdicts?run=r0', payload: {} },
  { method: 'GET', url: '/api/v1/runs' },
  { method: 'GET', url: '/api/v1/dora' },
  { method: 'GET', url: '/api/v1/ci-health' },
] as const;

describe.each(testDialects)('the read routes of a CI job on %s', (dialect) => {
  let store: TestStore;
  let app: FastifyInstance;
  const tokens = { read: '', ingest: '' };
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const read = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: as(tokens.read),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    store = await openTestStore(dialect);
    app = await buildServer({ store, bodyLimitBytes: 1024 * 1024, logger: false, now: () => now });
    for (const scope of ['read', 'ingest'] as const)
      tokens[scope] = (
        await createApiToken(store, { name: scope, scopes: [scope], now: now.toISOString() })
      ).secret;
    for (let i = 0; i < runs; i++) {
      const query = new URLSearchParams({
        run: `r${i}`,
        repo: 'acme/shop',
        branch: 'main',
        commit: `c${Math.floor(i / 2)}`,
        startedAt: startedAt(i),
      });
      const response = await app.inject({
        method: 'POST',
        url: `/api/v1/test-reports?${query.toString()}`,
        headers: { ...as(tokens.ingest), 'content-type': 'application/xml' },
        payload: report(i),
      });
      expect(response.statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('answers GET /api/v1/flaky with the report the app builds, and owners from a posted CODEOWNERS', async () => {
    const query = { ...defaultFlakyQuery, classify: { minExecutions: 1 }, now };
    const local = await buildFlakyReport(store, { ...query, ownersOf: () => [] });
    const response = await read('GET', '/api/v1/flaky?minExecutions=1');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.body).toBe(`${JSON.stringify(local)}\n`);
    expect(local.tests.find((t) => t.key === 'b.test.ts::c::b')?.classification).toBe('flaky');

    const codeowners = 'b.test.ts @team-b\n';
    const owned = await buildFlakyReport(store, {
      ...query,
      ownersOf: parseCodeowners(codeowners),
    });
    const posted = await read('POST', '/api/v1/flaky?minExecutions=1', { codeowners });
    expect(posted.json()).toEqual(owned);
    expect(owned.tests.find((t) => t.key === 'b.test.ts::c::b')?.owners).toEqual(['@team-b']);
  });

  it('answers GET /api/v1/ci-health with the report candor ci-health prints', async () => {
    const local = await buildCiHealth(store, { ...CiHealthQuery.parse({ since: '1d' }), now });
    const response = await read('GET', '/api/v1/ci-health?since=1d&branch=main');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(local);
    // b fails on runs 0, 2 and 4 and passes an hour later each time.
    expect(local.red).toMatchObject({ episodes: 3, p50Seconds: 3600, p90Seconds: 3600 });
    const bad = await read('GET', '/api/v1/ci-health?since=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^query\.since: expected a window such as 30d/);
  });

  it('answers the flake budget and quarantine suggestions as the CLI prints them', async () => {
    const budget = await read('GET', '/api/v1/flaky/budget?minExecutions=1&max=1%25');
    expect(budget.statusCode).toBe(200);
    expect(budget.json()).toMatchObject({ max: 0.01, overBudget: true, testsSeen: 2 });

    const suggestions = await read(
      'POST',
      '/api/v1/quarantine/suggestions?minExecutions=1&mode=skip',
      { codeowners: 'b.test.ts @team-b' },
    );
    expect(suggestions.statusCode).toBe(200);
    expect(suggestions.json()).toEqual({
      suggestions: [
        expect.objectContaining({
          key: 'b.test.ts::c::b',
          owner: '@team-b',
          mode: 'skip',
          created: '2026-11-20',
          expires: '2026-12-20',
        }),
      ],
      written: false,
    });
  });

  it('answers a test history, and 404 for a key no test has', async () => {
    const history = await read('GET', '/api/v1/tests/history?key=b.test.ts::c::b&limit=2');
    expect(history.statusCode).toBe(200);
    expect(history.json().tests[0].executions.map((e: { run: string }) => e.run)).toEqual([
      'r5',
      'r4',
    ]);
    const missing = await read('GET', '/api/v1/tests/history?key=nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 'not-found', message: 'no stored test has the key "nope"' },
    });
  });

  it('splits the posted units by their stored durations', async () => {
    const response = await read('POST', '/api/v1/split?shards=2&by=file', {
      units: ['b.test.ts', 'a.test.ts', 'new.test.ts'],
    });
    expect(response.statusCode).toBe(200);
    const plan = response.json();
    expect(plan.shards).toHaveLength(2);
    expect(plan.knownTimingsRatio).toBe(0.6667);
    expect(plan.shards.flatMap((s: { units: string[] }) => s.units).sort()).toEqual([
      'a.test.ts',
      'b.test.ts',
      'new.test.ts',
    ]);
  });

  it('judges a stored run by id or by commit against the posted quarantine', async () => {
    const failed = await read('POST', '/api/v1/verdicts?run=r0', {});
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toMatchObject({
      verdict: 'fail',
      exitCode: 1,
      tests: 2,
      blocking: [{ key: 'b.test.ts::c::b', status: 'failed', message: 'boom' }],
      reports: [{ path: 'request body', format: 'junit', tests: 2, errors: [] }],
    });
    const entry = {
      key: 'b.test.ts::c::b',
      owner: '@team-b',
      reason: 'flaky',
      created: '2026-11-19',
      expires: '2026-11-30',
    };
    const forgiven = await read('POST', '/api/v1/verdicts?run=r0', { tests: [entry] });
    expect(forgiven.json()).toMatchObject({
      verdict: 'pass',
      exitCode: 0,
      forgiven: [{ key: 'b.test.ts::c::b', owner: '@team-b' }],
    });
    // The newest run of commit c0 is r1, where b passed.
    const byCommit = await read('POST', '/api/v1/verdicts?commit=c0&repo=acme/shop', {});
    expect(byCommit.json()).toMatchObject({ verdict: 'pass', blocking: [] });

    expect((await read('POST', '/api/v1/verdicts?run=nope', {})).json()).toEqual({
      error: { code: 'not-found', message: 'no stored run has the id "nope"' },
    });
    const both = await read('POST', '/api/v1/verdicts?run=r0&commit=c0', {});
    expect(both.statusCode).toBe(400);
    expect(both.json().error.message).toBe(
      'query.commit: give the stored run to judge: either run (its id) or commit, not both',
    );
    const expired = await read('POST', '/api/v1/verdicts?run=r0', {
      tests: [{ ...entry, expires: 'soon' }],
    });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.message).toBe(
      'body.tests[0].expires: expected a date as YYYY-MM-DD',
    );
  });

  it.each(readRoutes)(
    'refuses $method $url without a token (401) and with an ingest token (403)',
    async (route) => {
      const payload = 'payload' in route ? { payload: route.payload } : {};
      const anonymous = await app.inject({ method: route.method, url: route.url, ...payload });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.code).toBe('unauthorized');
      const ingest = await app.inject({
        method: route.method,
        url: route.url,
        headers: as(tokens.ingest),
        ...payload,
      });
      expect(ingest.statusCode).toBe(403);
      expect(ingest.json()).toEqual({
        error: { code: 'forbidden', message: 'the token lacks the "read" scope' },
      });
    },
  );

  it.each(readRoutes)(
    'refuses an unknown query parameter on $method $url, naming it',
    async (route) => {
      const payload = 'payload' in route ? { payload: route.payload } : {};
      const url = `${route.url}${route.url.includes('?') ? '&' : '?'}comit=abc`;
      const response = await app.inject({
        method: route.method,
        url,
        headers: as(tokens.read),
        ...payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({
        code: 'invalid-input',
        message: expect.stringMatching(
          /^query\.comit: unknown parameter; \S+ \/api\/v1\/\S+ takes /,
        ),
      });
    },
  );

  it.each([
    ['POST', '/api/v1/test-reports?comit=abc', 'ingest'],
    ['POST', '/api/v1/events?comit=abc', 'ingest'],
    ['GET', '/metrics?comit=abc', undefined],
    ['GET', '/healthz?comit=abc', undefined],
  ] as const)('refuses an unknown query parameter on %s %s too', async (method, url, scope) => {
    const response = await app.inject({
      method,
      url,
      headers: {
        ...(scope === undefined ? {} : as(tokens[scope])),
        'content-type': 'application/json',
      },
      payload: '[]',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/^query\.comit: unknown parameter; /);
  });

  it('names the place of a bad JSON body and an unknown body field', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/split?shards=2',
      headers: { ...as(tokens.read), 'content-type': 'application/json' },
      payload: '{"units": [1,}',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^body: invalid JSON at 1:\d+/);
    const unknown = await read('POST', '/api/v1/split?shards=2', {
      units: [],
      unit: ['a.test.ts'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/^body: .*"unit"/);
  });
});
