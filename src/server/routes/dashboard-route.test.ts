import type { FastifyInstance } from 'fastify';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import type { Dashboard, DeploymentTimeline } from '../../contracts/dashboard.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { buildServer } from '../build-server.ts';
import { buildWebAssets } from '../../../scripts/build-web.ts';

const now = new Date('2026-11-20T12:00:00.000Z');
const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000).toISOString();
const base = { service: 'api', source: 'test' };
const prod = { ...base, environment: 'production' };

/** d1 fine (lead 2 h), d2 canary-failed and rolled back; d0 in the previous 7-day window. */
const events = [
  { ...base, type: 'commit_created', id: 'e0', occurredAt: at(200), commit: 'c0' },
  {
    ...prod,
    type: 'deploy_finished',
    id: 'e01',
    occurredAt: at(199),
    commit: 'c0',
    deployment: 'd0',
    result: 'success',
  },
  { ...base, type: 'commit_created', id: 'e1', occurredAt: at(10), commit: 'c1' },
  { ...base, type: 'policy_passed', id: 'e1p', occurredAt: at(9.5), commit: 'c1' },
  { ...prod, type: 'deploy_started', id: 'e2', occurredAt: at(9), commit: 'c1', deployment: 'd1' },
  {
    ...prod,
    type: 'deploy_finished',
    id: 'e3',
    occurredAt: at(8),
    commit: 'c1',
    deployment: 'd1',
    result: 'success',
  },
  { ...base, type: 'commit_created', id: 'e4', occurredAt: at(6), commit: 'c2' },
  { ...prod, type: 'canary_started', id: 'e5', occurredAt: at(5), commit: 'c2', deployment: 'd2' },
  { ...prod, type: 'canary_failed', id: 'e5c', occurredAt: at(4.8), deployment: 'd2' },
  { ...prod, type: 'rollback_triggered', id: 'e6', occurredAt: at(4.5), deployment: 'd2' },
  {
    ...prod,
    type: 'rollback_finished',
    id: 'e7',
    occurredAt: at(4),
    deployment: 'd2',
    result: 'success',
  },
  {
    ...base,
    environment: 'staging',
    type: 'rollback_drill',
    id: 'e8',
    occurredAt: at(24 * 40),
    result: 'success',
  },
  // Another deployment of c2, in staging: not part of d2's timeline.
  {
    ...base,
    environment: 'staging',
    type: 'deploy_started',
    id: 'e9',
    occurredAt: at(5.5),
    commit: 'c2',
    deployment: 'd2',
  },
];

const junit = (flakyFails: boolean) =>
  `<testsuite name="shop"><testcase classname="Cart" name="adds" time="0.1"/><testcase classname="Cart" name="flaky" time="0.1">${flakyFails ? '<failure message="boom"/>' : ''}</testcase><testcase classname="Cart" name="broken" time="0.1"><failure message="always"/></testcase></testsuite>`;

describe.each(testDialects)('GET /api/v1/dashboard on %s', (dialect) => {
  let store: TestStore;
  let app: FastifyInstance;
  let token: string;
  const get = async <T>(url: string, auth = true) => {
    const response = await app.inject({
      method: 'GET',
      url,
      headers: auth ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.statusCode, body: response.json<T>() };
  };
  beforeAll(async () => {
    await buildWebAssets();
    store = await openTestStore(dialect);
    app = await buildServer({ store, bodyLimitBytes: 1024 * 1024, logger: false, now: () => now });
    token = (
      await createApiToken(store, { name: 'reader', scopes: ['admin'], now: now.toISOString() })
    ).secret;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('refuses a request without a token, and one with an unknown token', async () => {
    expect((await get('/api/v1/dashboard', false)).status).toBe(401);
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/dashboard',
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers every panel "no-data" with its hint on an empty database', async () => {
    const { status, body } = await get<Dashboard>('/api/v1/dashboard');
    expect(status).toBe(200);
    for (const name of ['keys', 'delivery', 'quality', 'tests', 'releases'] as const) {
      const panel = body[name];
      expect(panel.status).toBe('no-data');
      if (panel.status === 'no-data') expect(panel.hint).toMatch(/candor|events/);
    }
  });

  it('shows the four keys against the previous window, releases and quality', async () => {
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}` },
      payload: events,
    });
    expect(posted.statusCode).toBe(201);
    const { body } = await get<Dashboard>('/api/v1/dashboard?window=7d');
    expect(body.filters).toMatchObject({
      window: '7d',
      environment: 'production',
      services: ['api'],
    });
    if (body.keys.status !== 'ok') throw new Error('keys: no data');
    expect(body.keys.current.deployments).toBe(2);
    expect(body.keys.current.changeFailureRate).toBe(0.5);
    expect(body.keys.current.leadTimeSeconds.median).toBe(7_200);
    expect(body.keys.previous.deployments).toBe(1);
    if (body.delivery.status !== 'ok') throw new Error('delivery: no data');
    expect(body.delivery.deploymentsPerDay.reduce((sum, d) => sum + d.deployments, 0)).toBe(2);
    expect(body.delivery.deploymentsPerDay).toHaveLength(8);
    if (body.releases.status !== 'ok') throw new Error('releases: no data');
    expect(body.releases.deployments.map((d) => [d.deployment, d.failed, d.canary])).toEqual([
      ['d2', true, 'failed'],
      ['d1', false, null],
    ]);
    expect(body.releases.deployments[1]?.gates).toEqual({ passed: 1, failed: 0 });
    if (body.quality.status !== 'ok') throw new Error('quality: no data');
    expect(body.quality.rollbackSuccessRate).toBe(1);
    expect(body.quality.drills).toMatchObject([
      { service: 'api', environment: 'staging', stale: true },
    ]);
    // The 30-day window holds all three deployments, and nothing before it.
    const wide = await get<Dashboard>('/api/v1/dashboard?window=30d&service=api');
    expect(wide.body.keys.status === 'ok' && wide.body.keys.current.deployments).toBe(3);
    const other = await get<Dashboard>('/api/v1/dashboard?service=web');
    expect(other.body.releases.status).toBe('no-data');
  });

  it('answers each part on its own, together the whole dashboard, behind the same token', async () => {
    const query = '?window=7d&service=api';
    const { body: whole } = await get<Dashboard>(`/api/v1/dashboard${query}`);
    const parts = await Promise.all(
      ['filters', 'delivery', 'tests', 'releases'].map((part) =>
        get<Partial<Dashboard>>(`/api/v1/dashboard/${part}${query}`),
      ),
    );
    expect(parts.map((p) => p.status)).toEqual([200, 200, 200, 200]);
    expect(parts.map((p) => Object.keys(p.body))).toEqual([
      ['generatedAt', 'filters'],
      ['keys', 'delivery', 'quality'],
      ['tests'],
      ['releases'],
    ]);
    expect(Object.assign({}, ...parts.map((p) => p.body))).toEqual(whole);
    expect((await get('/api/v1/dashboard/tests', false)).status).toBe(401);
    expect((await get('/api/v1/dashboard/releases?window=5d')).status).toBe(400);
  });

  it("opens a deployment timeline from the ledger, without another environment's events", async () => {
    const { status, body } = await get<DeploymentTimeline>(
      '/api/v1/dashboard/deployments/d2/timeline?service=api',
    );
    expect(status).toBe(200);
    expect(body.steps.map((s) => s.type)).toEqual([
      'commit_created',
      'canary_started',
      'canary_failed',
      'rollback_triggered',
      'rollback_finished',
    ]);
    const missing = await get<{ error: { code: string } }>(
      '/api/v1/dashboard/deployments/nope/timeline?service=api',
    );
    expect(missing.status).toBe(404);
  });

  it('shows the flake budget, flaky and broken tests from ingested reports', async () => {
    for (const [index, fails] of [false, true, false, true].entries()) {
      const response = await app.inject({
        method: 'POST',
        url: `/api/v1/test-reports?repo=acme/shop&branch=main&commit=c${index % 2}&startedAt=${at(20 - index)}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
        payload: junit(fails),
      });
      expect(response.statusCode).toBeLessThan(300);
    }
    const { body } = await get<Dashboard>('/api/v1/dashboard?window=7d');
    if (body.tests.status !== 'ok') throw new Error('tests: no data');
    expect(body.tests.budget.executions).toBe(12);
    expect(body.tests.broken.map((t) => t.key)).toEqual(['Cart::broken']);
    expect(body.tests.weekly.reduce((sum, w) => sum + w.executions, 0)).toBe(12);
  });

  it.each([
    ['/api/v1/dashboard?window=5d', 'query.window'],
    ['/api/v1/dashboard?servce=api', 'query.servce'],
    ['/api/v1/dashboard/deployments/d2/timeline', 'query.service'],
  ])('answers 400 naming the parameter for %s', async (url, name) => {
    const { status, body } = await get<{ error: { message: string } }>(url);
    expect(status).toBe(400);
    expect(body.error.message).toContain(name);
  });

  it('serves the page and its assets at / without a token, gzip when asked', async () => {
    const page = await app.inject({ method: 'GET', url: '/?window=7d' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<meta name="candor-public" content="false">');
    const script = await app.inject({
      method: 'GET',
      url: '/assets/dashboard.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(script.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(script.rawPayload).toString()).toContain('candor-token');
    expect((await app.inject({ method: 'GET', url: '/assets/nope.js' })).statusCode).toBe(503);
    const definitions = await app.inject({ method: 'GET', url: '/definitions.html' });
    expect(definitions.body).toContain('id="changeFailureRate"');
  });
});

describe('GET /api/v1/dashboard with --public-dashboard', () => {
  it('answers without a token', async () => {
    const store = await openTestStore('sqlite');
    const app = await buildServer({
      store,
      bodyLimitBytes: 1024,
      logger: false,
      now: () => now,
      dashboard: { isPublic: true, quarantine: () => [] },
    });
    try {
      expect((await app.inject({ method: 'GET', url: '/api/v1/dashboard' })).statusCode).toBe(200);
      const page = await app.inject({ method: 'GET', url: '/' });
      expect(page.body).toContain('<meta name="candor-public" content="true">');
    } finally {
      await app.close();
      await store.close();
    }
  });
});
