import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanaryAnalysisView } from '../../app/canary/canary-analyses.ts';
import { buildDoraReport } from '../../app/delivery/build-dora-report.ts';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import { CanaryConfig } from '../../config/canary-config.ts';
import { createRandom, normalDraw } from '../../core/canary/calibration/simulate-canary.ts';
import { ok } from '../../core/lib/result.ts';
import type { SourceClient } from '../../sources/metric-source.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { buildServer } from '../build-server.ts';

const t0 = new Date('2026-11-20T12:00:00.000Z');
const minutes = (m: number) => new Date(t0.getTime() + m * 60_000);

const config = CanaryConfig.parse({
  source: { kind: 'prometheus', url: 'http://127.0.0.1:9' },
  interval: '15s',
  minimumDuration: '10m',
  maximumDuration: '30m',
  metrics: [
    {
      name: 'error-rate',
      kind: 'count',
      numerator: 'errors{version="{{version}}"}',
      denominator: 'requests{version="{{version}}"}',
      critical: true,
    },
    {
      name: 'latency',
      kind: 'distribution',
      query: 'latency{version="{{version}}"}',
      threshold: 0.2,
    },
  ],
});

/**
 * A source that answers like Prometheus would for services with 20,000 requests a minute: 1%
 * errors and 200 ms latency (±3%), except version `bad` (3% errors) and `slow` (+50%); what it
 * answers for a minute is the same at every poll. Down when `down` is set.
 */
function simulatedSource(): SourceClient & { down: boolean } {
  const source = {
    location: 'simulated',
    down: false,
    query: async (request: Parameters<SourceClient['query']>[0]) => {
      if (source.down)
        return {
          ok: false as const,
          errors: [{ kind: 'unreachable' as const, message: 'cannot reach simulated' }],
        };
      if (request.kind !== 'range') throw new Error('range queries only');
      const version = /version="([^"]*)"/.exec(request.query)?.[1] ?? '';
      const points = [];
      for (let t = request.start; t <= request.end; t += request.step) {
        const random = createRandom(t * 7 + version.length * 101 + request.query.length);
        const value = request.query.startsWith('requests')
          ? 20_000
          : request.query.startsWith('errors')
            ? Math.max(
                0,
                Math.round((version === 'bad' ? 600 : 200) + Math.sqrt(200) * normalDraw(random)),
              )
            : (version === 'slow' ? 0.3 : 0.2) * Math.exp(0.03 * normalDraw(random));
        points.push({ time: t, value });
      }
      return ok({ series: [{ labels: { version }, points }], body: '' });
    },
  };
  return source;
}

describe.each(testDialects)('canary analyses over HTTP on %s', (dialect) => {
  let store: TestStore;
  let clock = t0;
  let source: ReturnType<typeof simulatedSource>;
  let replicas: FastifyInstance[];
  let canaryToken: string;
  let readToken: string;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    source = simulatedSource();
    // Two `candor serve` replicas on one database.
    replicas = await Promise.all(
      [0, 1].map(() =>
        buildServer({
          store,
          bodyLimitBytes: 1024 * 1024,
          logger: false,
          now: () => clock,
          canary: { config, client: source },
        }),
      ),
    );
    canaryToken = (
      await createApiToken(store, {
        name: 'rollouts',
        scopes: ['canary', 'read'],
        now: t0.toISOString(),
      })
    ).secret;
    readToken = (
      await createApiToken(store, { name: 'reader', scopes: ['read'], now: t0.toISOString() })
    ).secret;
  });
  afterAll(async () => {
    await Promise.all(replicas.map((app) => app.close()));
    await store.drop();
  });

  const start = async (canary: string, deployment: string, service = 'shop') => {
    const response = await replicas[0]!.inject({
      method: 'POST',
      url: '/api/v1/canaries',
      headers: { authorization: `Bearer ${canaryToken}` },
      payload: {
        service,
        environment: 'production',
        deployment,
        baseline: { version: 'stable' },
        canary: { version: canary },
      },
    });
    expect(response.statusCode).toBe(201);
    return response.json<CanaryAnalysisView>();
  };
  const poll = async (id: string, at: Date, replica = 0) => {
    clock = at;
    const response = await replicas[replica]!.inject({
      method: 'GET',
      url: `/api/v1/canaries/${id}`,
      headers: { authorization: `Bearer ${readToken}` },
    });
    expect(response.statusCode).toBe(200);
    return response.json<CanaryAnalysisView>();
  };
  const ledger = async (deployment: string) =>
    (
      await store.db
        .selectFrom('delivery_events')
        .select(['type', 'deployment', 'service'])
        .where('deployment', '=', deployment)
        .orderBy('occurred_at')
        .execute()
    ).map((e) => e.type);

  it('answers an Argo-style poll sequence: pending until the minimum time, then promote, on every replica', async () => {
    clock = t0;
    const { id, verdict } = await start('same', 'd-1');
    expect(verdict).toBe('pending');
    expect(await ledger('d-1')).toEqual(['canary_started']);
    const seen = [];
    for (const m of [1, 3, 6, 9]) seen.push((await poll(id, minutes(m), m % 2)).verdict);
    expect(seen).toEqual(['pending', 'pending', 'pending', 'pending']);
    const done = await poll(id, minutes(11), 1);
    expect([done.verdict, done.final]).toEqual(['promote', true]);
    expect(done.report?.metrics.map((m) => m.result)).toEqual(['pass', 'pass']);
    // The other replica answers the same, from the database, and nothing is written twice.
    expect((await poll(id, minutes(12), 0)).verdict).toBe('promote');
    expect(await ledger('d-1')).toEqual(['canary_started', 'canary_promoted']);
  });

  it('answers a repeated POST for the same deployment with that analysis checked (Argo’s jsonBody)', async () => {
    const post = (at: Date) => {
      clock = at;
      return replicas[1]!.inject({
        method: 'POST',
        url: '/api/v1/canaries',
        headers: { authorization: `Bearer ${canaryToken}` },
        payload: {
          service: 'argo',
          deployment: 'rs-7f9c',
          baseline: { version: 'stable' },
          canary: { version: 'same' },
        },
      });
    };
    const first = await post(t0);
    expect(first.statusCode).toBe(201);
    const later = await post(minutes(5));
    expect([
      later.statusCode,
      later.json<CanaryAnalysisView>().id,
      later.json<CanaryAnalysisView>().verdict,
    ]).toEqual([200, first.json<CanaryAnalysisView>().id, 'pending']);
    expect((await post(minutes(10))).json<CanaryAnalysisView>().verdict).toBe('promote');
  });

  it('fails fast on a clear rollback, before the minimum time', async () => {
    clock = t0;
    const { id } = await start('bad', 'd-2');
    const early = await poll(id, minutes(4));
    expect([early.verdict, early.final]).toEqual(['rollback', true]);
    expect(early.report?.metrics[0]?.result).toBe('fail');
    expect(await ledger('d-2')).toEqual(['canary_started', 'canary_failed']);
    // Folded into the projections too: candor dora counts the failed canary.
    const dora = await buildDoraReport(store, {
      now: minutes(60),
      windowMs: 86_400_000,
      environment: 'production',
      incidentWindowMs: 86_400_000,
      service: 'shop',
    });
    expect(dora.failedDeployments).toBeGreaterThanOrEqual(1);
  });

  it('is inconclusive past the minimum when the source is down, final at the maximum', async () => {
    clock = t0;
    const { id } = await start('same', 'd-3');
    source.down = true;
    try {
      expect((await poll(id, minutes(5))).verdict).toBe('pending');
      const after = await poll(id, minutes(12));
      expect([after.verdict, after.final]).toEqual(['inconclusive', false]);
      expect(after.report?.metrics[0]?.reason).toContain('cannot reach simulated');
      const end = await poll(id, minutes(31));
      expect([end.verdict, end.final]).toEqual(['inconclusive', true]);
    } finally {
      source.down = false;
    }
    expect(await ledger('d-3')).toEqual(['canary_started', 'canary_failed']);
  });

  it('answers Flagger: pre-rollout starts, confirm-promotion passes (≤ 202) only on promote, rollback is inverted', async () => {
    const hook = async (name: string, metadata: Record<string, string>, at: Date) => {
      clock = at;
      return replicas[1]!.inject({
        method: 'POST',
        url: `/api/v1/canaries/flagger/${name}`,
        payload: {
          name: 'podinfo',
          namespace: 'prod',
          phase: 'Progressing',
          checksum: 'abc123',
          metadata: { token: canaryToken, ...metadata },
        },
      });
    };
    const started = await hook(
      'pre-rollout',
      { baseline: 'version=stable', canary: 'version=slow' },
      t0,
    );
    expect(started.statusCode).toBe(200);
    expect(started.json<CanaryAnalysisView>()).toMatchObject({
      service: 'podinfo',
      environment: 'prod',
      deployment: 'abc123',
    });
    const early = await hook('rollback', {}, minutes(0.5));
    expect(early.statusCode).toBe(412);
    const rollback = await hook('rollback', {}, minutes(3));
    expect([rollback.statusCode, rollback.json<CanaryAnalysisView>().verdict]).toEqual([
      200,
      'rollback',
    ]);
    expect((await hook('confirm-promotion', {}, minutes(4))).statusCode).toBe(412);

    const good = (
      await hook(
        'pre-rollout',
        { baseline: 'version=stable', canary: 'version=same', service: 'cart' },
        t0,
      )
    ).json<CanaryAnalysisView>();
    expect((await hook('confirm-promotion', { service: 'cart' }, minutes(5))).statusCode).toBe(412);
    const promote = await hook('confirm-promotion', { service: 'cart' }, minutes(10));
    expect(promote.statusCode).toBeLessThanOrEqual(202);
    expect(promote.json<CanaryAnalysisView>()).toMatchObject({ id: good.id, verdict: 'promote' });
    expect((await hook('rollback', { analysis: good.id }, minutes(11))).statusCode).toBe(412);
  });

  it('refuses a start without the canary scope, a bad body, and an unknown analysis', async () => {
    const noScope = await replicas[0]!.inject({
      method: 'POST',
      url: '/api/v1/canaries',
      headers: { authorization: `Bearer ${readToken}` },
      payload: { service: 'shop', baseline: { version: 'a' }, canary: { version: 'b' } },
    });
    expect(noScope.statusCode).toBe(403);
    const bad = await replicas[0]!.inject({
      method: 'POST',
      url: '/api/v1/canaries',
      headers: { authorization: `Bearer ${canaryToken}` },
      payload: { service: 'shop', baseline: {}, canary: { version: 'b' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toContain('body.baseline');
    const missing = await replicas[0]!.inject({
      method: 'GET',
      url: '/api/v1/canaries/nope',
      headers: { authorization: `Bearer ${readToken}` },
    });
    expect(missing.statusCode).toBe(404);
    const flagger = await replicas[0]!.inject({
      method: 'POST',
      url: '/api/v1/canaries/flagger/confirm-promotion',
      payload: { name: 'podinfo', namespace: 'prod' },
    });
    expect(flagger.statusCode).toBe(401);
  });

  it('publishes the latest verdict per service as a gauge', async () => {
    const response = await replicas[0]!.inject({ method: 'GET', url: '/metrics' });
    const lines = response.body
      .split('\n')
      .filter((line) => line.startsWith('candor_canary_verdict{'));
    expect(lines.sort()).toEqual([
      'candor_canary_verdict{service="argo",environment=""} 1',
      'candor_canary_verdict{service="cart",environment="prod"} 1',
      'candor_canary_verdict{service="podinfo",environment="prod"} -1',
      'candor_canary_verdict{service="shop",environment="production"} 0',
    ]);
  });
});
