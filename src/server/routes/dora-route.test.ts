import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { buildServer } from '../build-server.ts';

const now = new Date('2026-11-20T12:00:00.000Z');
const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000).toISOString();
const base = { service: 'api', source: 'test' };
const prod = { ...base, environment: 'production' };

/** Two deployments: the first fine (lead 2 h), the second rolled back (detect 30 min, recover 30 min). */
const events = [
  { ...base, type: 'commit_created', id: 'e1', occurredAt: at(10), commit: 'c1' },
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
  { ...prod, type: 'deploy_started', id: 'e5', occurredAt: at(5), commit: 'c2', deployment: 'd2' },
  { ...prod, type: 'rollback_triggered', id: 'e6', occurredAt: at(4.5), deployment: 'd2' },
  {
    ...prod,
    type: 'rollback_finished',
    id: 'e7',
    occurredAt: at(4),
    deployment: 'd2',
    result: 'success',
  },
];

describe.each(testDialects)('GET /api/v1/dora and /metrics on %s', (dialect) => {
  let store: TestStore;
  let app: FastifyInstance;
  let token: string;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    app = await buildServer({ store, bodyLimitBytes: 1024 * 1024, logger: false, now: () => now });
    token = (
      await createApiToken(store, { name: 'admin', scopes: ['admin'], now: now.toISOString() })
    ).secret;
    // Sent out of order, and twice: neither changes a number.
    for (const batch of [[...events].reverse(), events]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: `Bearer ${token}` },
        payload: batch,
      });
      expect(response.statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('answers the DORA JSON contract', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/dora?window=1d',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining([
        'window',
        'deployments',
        'deploymentFrequencyPerDay',
        'changeFailureRate',
        'leadTimeSeconds',
        'recoveryTimeSeconds',
        'timeToDetectSeconds',
        'rollbackSuccessRate',
        'falsePositiveRate',
        'falseNegativeRate',
        'reworkRate',
        'stageLatency',
      ]),
    );
    expect(body).toMatchObject({
      deployments: 2,
      deploymentFrequencyPerDay: 2,
      changeFailureRate: 0.5,
      leadTimeSeconds: { median: 7_200, p90: 7_200, mean: 7_200, count: 1 },
      recoveryTimeSeconds: { median: 1_800, count: 1 },
      timeToDetectSeconds: { median: 1_800, count: 1 },
      rollbackSuccessRate: 1,
      falsePositiveRate: null,
      falseNegativeRate: null,
    });
  });

  it('answers the trend with by=week|month, and names a bad period', async () => {
    const get = (query: string) =>
      app.inject({
        method: 'GET',
        url: `/api/v1/dora?window=14d&${query}`,
        headers: { authorization: `Bearer ${token}` },
      });
    const response = await get('by=week');
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      by: string;
      deployments: number;
      series: { window: { from: string; to: string }; deployments: number }[];
    }>();
    expect(body.by).toBe('week');
    expect(body.deployments).toBe(2);
    // 14 days touch 3 calendar weeks; the last one holds both deployments.
    expect(body.series.length).toBeGreaterThanOrEqual(3);
    expect(body.series.map((p) => p.deployments).reduce((a, b) => a + b, 0)).toBe(2);
    expect(body.series.at(-1)).toMatchObject({ deployments: 2, window: { to: now.toISOString() } });
    expect((await get('by=month')).json()).toMatchObject({ by: 'month', deployments: 2 });
    // Without `by`, the report has no series.
    expect((await get('')).json()).not.toHaveProperty('series');
    const bad = await get('by=day');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('by');
  });

  it('accepts CDEvents: structured CloudEvents, binary mode and bare', async () => {
    const cdevent = (id: string, type: string, subject: object, extra: object = {}) => ({
      context: { specversion: '0.5.0', id, source: 'argocd', type, timestamp: at(3) },
      subject,
      ...extra,
    });
    const headers = { authorization: `Bearer ${token}` };
    const structured = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { ...headers, 'content-type': 'application/cloudevents+json' },
      payload: JSON.stringify({
        specversion: '1.0',
        id: 'x1',
        source: 'argocd',
        type: 'dev.cdevents.service.deployed.0.3.0',
        data: cdevent(
          'x1',
          'dev.cdevents.service.deployed.0.3.0',
          { id: 'web', content: { environment: { id: 'production' } } },
          { customData: { commit: 'w9' } },
        ),
      }),
    });
    expect(structured.statusCode).toBe(201);
    const binary = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-type': 'dev.cdevents.incident.detected.0.3.0',
        'ce-id': 'x2',
        'ce-source': 'pagerduty',
      },
      payload: cdevent('x2', 'dev.cdevents.incident.detected.0.3.0', {
        id: 'INC-1',
        content: { environment: { id: 'production' }, service: { id: 'web' } },
      }),
    });
    expect(binary.statusCode).toBe(201);
    const stored = await store.db
      .selectFrom('delivery_events')
      .select(['type', 'service', 'source', 'id'])
      .where('source', 'in', ['argocd'])
      .orderBy('id')
      .execute();
    expect(stored).toEqual([
      { type: 'deploy_finished', service: 'web', source: 'argocd', id: 'x1' },
      { type: 'incident_opened', service: 'web', source: 'argocd', id: 'x2' },
    ]);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers,
      payload: cdevent('x3', 'dev.cdevents.pipelinerun.queued.0.2.0', { id: 'p' }),
    });
    // A type candor does not map is ignored, never refused (a broker would retry it forever).
    expect(unknown.statusCode).toBe(201);
    expect(unknown.json()).toMatchObject({ accepted: 0, ignored: 1, stored: 0, errors: [] });
  });

  it('names a bad query parameter', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/dora?window=soon',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('query.window');
  });

  it('exposes Prometheus metrics computed from the ledger', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    const text = response.body;
    expect(text).toContain(
      'candor_deployments_total{service="api",environment="production",result="success"} 1',
    );
    // d2 never sent deploy_finished: it counts as a change failure, not as a deployment result.
    expect(text).toContain(
      'candor_deployments_total{service="api",environment="production",result="failure"} 0',
    );
    expect(text).toContain(
      'candor_change_failures_total{service="api",environment="production"} 1',
    );
    expect(text).toContain(
      'candor_lead_time_seconds_bucket{le="3600",service="api",environment="production"} 0',
    );
    expect(text).toContain(
      'candor_lead_time_seconds_bucket{le="14400",service="api",environment="production"} 1',
    );
    expect(text).toContain(
      'candor_recovery_time_seconds_count{service="api",environment="production"} 1',
    );
    expect(text).toContain(
      'candor_rollbacks_total{service="api",environment="production",result="success"} 1',
    );
    expect(text).not.toMatch(/commit=|deployment=/);
    // No test reports were ingested here: no flake gauges.
    expect(text).not.toMatch(/^candor_flake_rate\{/m);
  });

  it('answers concurrent scrapes from one computation, and recomputes once the ledger changes', async () => {
    const scrapes = await Promise.all(
      Array.from({ length: 4 }, () => app.inject({ method: 'GET', url: '/metrics' })),
    );
    expect(new Set(scrapes.map((r) => r.body)).size).toBe(1);
    const deployed = (text: string) =>
      /candor_deployments_total\{service="probe",environment="production",result="success"\} (\d+)/.exec(
        text,
      )?.[1];
    expect(deployed(scrapes[0]!.body)).toBeUndefined();
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}` },
      payload: [
        {
          type: 'deploy_started',
          id: 'w1',
          service: 'probe',
          environment: 'production',
          deployment: 'w',
          occurredAt: at(6),
        },
        {
          type: 'deploy_finished',
          id: 'w2',
          service: 'probe',
          environment: 'production',
          deployment: 'w',
          result: 'success',
          occurredAt: at(5),
        },
      ],
    });
    expect(posted.statusCode).toBe(201);
    expect(deployed((await app.inject({ method: 'GET', url: '/metrics' })).body)).toBe('1');
  });
});
