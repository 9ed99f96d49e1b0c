import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvents } from '../../app/delivery/record-events.ts';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import {
  runWatchTick,
  type WatchServerSettings,
  type WatchView,
} from '../../app/watch/served-watches.ts';
import { CandorConfig } from '../../config/candor-config.ts';
import { ok } from '../../core/lib/result.ts';
import { simulateGauge } from '../../core/watch/calibration/simulate-watch.ts';
import type { SourceClient } from '../../sources/metric-source.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { buildServer } from '../build-server.ts';

const minute = 60_000;
const deployedAt = Date.parse('2026-11-20T12:00:00.000Z');

/**
 * A source that answers the memory gauge of each app like Prometheus would, one point a minute
 * from an hour before the deploy to an hour after: an AR(1) gauge (φ = 0.8) at 500 MB; app
 * `leaky` leaks 1%/10 min from the deploy on. The same minute always gives the same value.
 */
function simulatedSource(): SourceClient {
  const from = deployedAt - 60 * minute;
  const scenario = {
    minutes: 120,
    level: 5e8,
    noise: 0.002,
    phi: 0.8,
    seasonality: 0,
    startMinute: 0,
  };
  const series = {
    shop: simulateGauge(scenario, 20),
    leaky: simulateGauge({ ...scenario, leakPerMinute: 0.001, leakFrom: 60 }, 21),
  };
  return {
    location: 'simulated',
    query: async (request) => {
      if (request.kind !== 'range') throw new Error('range queries only');
      const app = /app="([^"]*)"/.exec(request.query)?.[1] as keyof typeof series;
      const points = [];
      for (let t = request.start; t <= request.end; t += request.step) {
        const value = series[app]?.[Math.floor((t * 1000 - from) / minute)];
        if (value !== undefined) points.push({ time: t, value });
      }
      return ok({ series: [{ labels: { app }, points }], body: '' });
    },
  };
}

describe.each(testDialects)('watches in candor serve on %s', (dialect) => {
  let store: TestStore;
  let clock = new Date(deployedAt);
  let replicas: FastifyInstance[];
  let settings: WatchServerSettings;
  let canaryToken: string;
  let readToken: string;
  let dir: string;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    dir = mkdtempSync(join(tmpdir(), 'candor-watches-'));
    const marker = join(dir, 'rolled-back');
    // shop tolerates 10%/h (an hour of AR(1) noise cannot rule out 3%/h); leaky leaks 6%/h.
    const watched = (app: string, threshold = 0.03) => ({
      window: '1h',
      every: '5m',
      labels: { app },
      metrics: [
        { metric: 'memory', detector: 'drift', direction: 'increase', threshold, rollback: true },
      ],
    });
    const config = CandorConfig.parse({
      canary: {
        source: { kind: 'prometheus', url: 'http://127.0.0.1:9' },
        interval: '1m',
        metrics: [{ name: 'memory', kind: 'gauge', query: 'app_memory_bytes{app="{{app}}"}' }],
      },
      services: {
        leaky: {
          rollback: {
            kind: 'exec',
            argv: [
              process.execPath,
              '-e',
              `require('fs').appendFileSync(${JSON.stringify(marker)}, process.argv[1] + '\\n')`,
              '{{deployment}}',
            ],
          },
        },
      },
      watch: {
        shop: watched('shop', 0.1),
        leaky: watched('leaky'),
        broken: { ...watched('x'), labels: {} },
      },
    });
    settings = { config, client: simulatedSource(), cwd: dir, env: {}, leaseMs: minute };
    const recorded = await recordEvents(
      store,
      ['shop', 'leaky', 'broken'].map((service) => ({
        value: {
          type: 'deploy_finished',
          service,
          environment: 'production',
          deployment: `${service}-1`,
          occurredAt: new Date(deployedAt).toISOString(),
          result: 'success',
        },
      })),
      { receivedAt: new Date(deployedAt).toISOString(), atomic: true },
    );
    expect(recorded.errors).toEqual([]);
    replicas = await Promise.all(
      [0, 1].map(() =>
        buildServer({
          store,
          bodyLimitBytes: 1024 * 1024,
          logger: false,
          now: () => clock,
          watches: settings,
        }),
      ),
    );
    const token = async (scopes: ('canary' | 'read')[]) =>
      (await createApiToken(store, { name: scopes.join('+'), scopes, now: clock.toISOString() }))
        .secret;
    canaryToken = await token(['canary', 'read']);
    readToken = await token(['read']);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((app) => app.close()));
    await store.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const register = (payload: object, secret = canaryToken) =>
    replicas[0]!.inject({
      method: 'POST',
      url: '/api/v1/watches',
      headers: { authorization: `Bearer ${secret}` },
      payload,
    });
  const get = (url: string, replica = 1) =>
    replicas[replica]!.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${readToken}` },
    });
  const ledger = async (service: string) =>
    (
      await store.db
        .selectFrom('delivery_events')
        .select(['type', 'result', 'deployment'])
        .where('service', '=', service)
        .where('type', '!=', 'deploy_finished')
        .orderBy('occurred_at')
        .orderBy('type', 'desc')
        .execute()
    ).map((e) => [e.type, e.result, e.deployment]);

  it('refuses a registration without a token (401) or without the canary scope (403)', async () => {
    expect((await register({ service: 'shop' }, 'nope')).statusCode).toBe(401);
    const forbidden = await register({ service: 'shop' }, readToken);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ error: { code: 'forbidden' } });
    const anonymous = await replicas[0]!.inject({ method: 'GET', url: '/api/v1/watches' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('registers a watch of the latest deployment once: a repeat answers the same watch', async () => {
    const first = await register({ service: 'shop', every: '10m' });
    expect(first.statusCode).toBe(201);
    const watch = first.json<WatchView>();
    expect(watch).toMatchObject({
      service: 'shop',
      environment: 'production',
      deployment: 'shop-1',
      state: 'watching',
      verdict: 'pending',
      deployedAt: new Date(deployedAt).toISOString(),
      windowEnd: new Date(deployedAt + 60 * minute).toISOString(),
      everyMs: 10 * minute,
      evaluations: 0,
    });
    const again = await register({ service: 'shop', deployment: 'shop-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json<WatchView>().id).toBe(watch.id);
    expect(await ledger('shop')).toEqual([['watch_started', null, 'shop-1']]);
    expect((await get(`/api/v1/watches/${watch.id}`)).json<WatchView>()).toEqual(watch);
  });

  it('refuses bad input naming the field: an unknown query parameter, body field or deployment', async () => {
    const unknown = await get('/api/v1/watches?servce=shop');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      error: { code: 'invalid-input', message: expect.stringContaining('query.servce') as string },
    });
    const state = await get('/api/v1/watches?state=done');
    expect(state.statusCode).toBe(400);
    expect(state.json<{ error: { message: string } }>().error.message).toMatch(/^query\.state: /);
    const field = await register({ service: 'shop', windw: '1h' });
    expect(field.statusCode).toBe(400);
    expect(field.json<{ error: { message: string } }>().error.message).toContain('windw');
    const every = await register({ service: 'shop', every: 'soon' });
    expect(every.json<{ error: { message: string } }>().error.message).toMatch(/^body\.every: /);
    const deployment = await register({ service: 'shop', deployment: 'shop-9' });
    expect(deployment.statusCode).toBe(400);
    expect(deployment.json<{ error: { message: string } }>().error.message).toContain('shop-9');
    const unwatched = await register({ service: 'cart' });
    expect(unwatched.statusCode).toBe(404);
    expect(unwatched.json<{ error: { message: string } }>().error.message).toContain('watch.cart');
    expect((await get('/api/v1/watches/nope')).statusCode).toBe(404);
  });

  it('evaluates each due watch once across two replicas, ends it, and rolls back once', async () => {
    clock = new Date(deployedAt + 30_000);
    expect((await register({ service: 'leaky' })).statusCode).toBe(201);
    const evaluations: Record<string, number> = {};
    let rollbacks = 0;
    // Both replicas tick at the same instants, every minute for 65 minutes.
    for (let m = 1; m <= 65; m++) {
      clock = new Date(deployedAt + m * minute);
      const ticks = await Promise.all(
        ['replica-a', 'replica-b'].map((owner) =>
          runWatchTick(store, settings, {
            owner,
            now: () => clock,
            signal: new AbortController().signal,
          }),
        ),
      );
      for (const tick of ticks) {
        for (const e of tick.evaluated) evaluations[e.id] = (evaluations[e.id] ?? 0) + 1;
        rollbacks += tick.rollbacks.length;
      }
    }
    const list = (await get('/api/v1/watches?state=finished')).json<{ watches: WatchView[] }>();
    const byService = Object.fromEntries(list.watches.map((w) => [w.service, w]));
    // shop: every 10 min from minute 1 (1, 11, …, 51), then the window's end at 60.
    expect(byService['shop']).toMatchObject({
      state: 'finished',
      verdict: 'healthy',
      evaluations: 7,
    });
    expect(evaluations[byService['shop']!.id]).toBe(7);
    expect(byService['shop']!.findings.map((f) => [f.metric, f.detector, f.result])).toEqual([
      ['memory', 'drift', 'healthy'],
    ]);
    expect(byService['leaky']).toMatchObject({ state: 'finished', verdict: 'degraded' });
    expect(evaluations[byService['leaky']!.id]).toBe(byService['leaky']!.evaluations);
    expect(rollbacks).toBe(1);
    expect(readFileSync(join(dir, 'rolled-back'), 'utf8')).toBe('leaky-1\n');
    expect(await ledger('shop')).toEqual([
      ['watch_started', null, 'shop-1'],
      ['watch_finished', 'success', 'shop-1'],
    ]);
    expect(await ledger('leaky')).toEqual([
      ['watch_started', null, 'leaky-1'],
      ['watch_finished', 'failure', 'leaky-1'],
      ['rollback_triggered', null, 'leaky-1'],
      ['rollback_finished', 'success', 'leaky-1'],
    ]);
    // The dashboard's timeline of the deployment lists the watch, before the rollback it ran.
    const timeline = await get('/api/v1/dashboard/deployments/leaky-1/timeline?service=leaky');
    const steps = timeline.json<{ steps: { type: string }[] }>().steps.map((e) => e.type);
    expect(steps.slice(0, 3)).toEqual(['deploy_finished', 'watch_started', 'watch_finished']);
    // The rollback's two events share the fixed clock's instant: in either order.
    expect(steps.slice(3).sort()).toEqual(['rollback_finished', 'rollback_triggered']);
    const watching = (await get('/api/v1/watches?service=shop&state=watching')).json<{
      watches: WatchView[];
    }>();
    expect(watching.watches).toEqual([]);
  });

  it('lists a watch it cannot evaluate (a placeholder without a value) and goes on', async () => {
    expect((await register({ service: 'broken' })).statusCode).toBe(201);
    clock = new Date(deployedAt + 70 * minute);
    const tick = await runWatchTick(store, settings, {
      owner: 'replica-a',
      now: () => clock,
      signal: new AbortController().signal,
    });
    expect(tick.evaluated).toEqual([]);
    expect(tick.errors).toEqual([
      {
        id: expect.any(String) as string,
        message: expect.stringContaining('watch.broken') as string,
      },
    ]);
    const [broken] = (await get('/api/v1/watches?service=broken')).json<{ watches: WatchView[] }>()
      .watches;
    expect(broken).toMatchObject({ state: 'watching', verdict: 'pending', evaluations: 0 });
  });

  it('answers 404 saying so when candor serve has no watch: section', async () => {
    const app = await buildServer({ store, bodyLimitBytes: 1024, logger: false, now: () => clock });
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/watches',
      headers: { authorization: `Bearer ${readToken}` },
    });
    await app.close();
    expect(response.statusCode).toBe(404);
    expect(response.json<{ error: { message: string } }>().error.message).toContain('watch:');
  });
});
