import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvents } from '../app/delivery/record-events.ts';
import { createApiToken } from '../app/tokens/api-tokens.ts';
import type { WatchView } from '../app/watch/served-watches.ts';
import { simulateGauge } from '../core/watch/calibration/simulate-watch.ts';
import { openTestStore, type TestStore } from '../testing/open-test-store.ts';
import { startPrometheus } from '../testing/real-prometheus.ts';
import { startCandorServe, type RunningServer } from '../testing/start-candor-serve.ts';

const minute = 60_000;
// Deployed an hour ago; each watch's window is set to end a few seconds after it is registered.
const deployedAt = Date.now() - 60 * minute;

/**
 * Memory of `steady` and `leaky` every 15 s from 70 min before the deploy to now: an AR(1) gauge
 * (φ = 0.8) at 500 MB; `leaky`'s level is 20% higher from the deploy on (a level shift).
 */
function history(): string {
  const rows: string[] = [];
  const from = deployedAt - 70 * minute;
  for (const [app, seed, jump] of [
    ['leaky', 31, 1.2],
    ['steady', 30, 1],
  ] as const) {
    const memory = simulateGauge(
      { minutes: 131, level: 5e8, noise: 0.002, phi: 0.8, seasonality: 0, startMinute: 0 },
      seed,
    );
    for (let i = 0; i < 130 * 4; i++) {
      const value = memory[Math.floor(i / 4)]! * (i >= 70 * 4 ? jump : 1);
      const at = ((from + i * 15_000) / 1000).toFixed(3);
      rows.push(`app_memory_bytes{app="${app}"} ${value.toFixed(0)} ${at}`);
    }
  }
  return `# TYPE app_memory_bytes gauge\n${rows.join('\n')}\n# EOF\n`;
}

// Two `candor serve` processes on one PostgreSQL, each with its scheduler ticking every 300 ms
// on a real Prometheus: each watch is evaluated once per due time, ends once, rolls back once.
describe('watches of two candor serve replicas on one PostgreSQL', { timeout: 120_000 }, () => {
  let store: TestStore;
  let prometheus: { url: string; stop(): Promise<void> };
  let servers: RunningServer[] = [];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-watch-replicas-'));
    [prometheus, store] = await Promise.all([
      startPrometheus({ targets: [], backfill: history() }),
      openTestStore('postgres'),
    ]);
    const marker = join(dir, 'rolled-back');
    const watched = (app: string) => `  ${app}:
    window: 2h
    every: 2s
    labels: { app: ${app} }
    metrics:
      - { metric: memory, detector: shift, direction: increase, threshold: 0.1, rollback: true }
`;
    writeFileSync(
      join(dir, 'candor.yml'),
      `canary:
  source: { kind: prometheus, url: ${prometheus.url}, timeout: 5s, retries: 0 }
  interval: 1m
  metrics:
    - { name: memory, kind: gauge, query: 'app_memory_bytes{app="{{app}}"}' }
services:
  leaky:
    rollback:
      kind: exec
      argv: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(`require('fs').appendFileSync(${JSON.stringify(marker)}, process.argv[1] + '\\n')`)}, '{{deployment}}']
watch:
${watched('steady')}${watched('leaky')}`,
    );
    const recorded = await recordEvents(
      store,
      ['steady', 'leaky'].map((service) => ({
        value: {
          type: 'deploy_finished',
          service,
          environment: 'production',
          deployment: `${service}-1`,
          occurredAt: new Date(deployedAt).toISOString(),
          result: 'success',
        },
      })),
      { receivedAt: new Date().toISOString(), atomic: true },
    );
    expect(recorded.errors).toEqual([]);
    const args = ['--config', join(dir, 'candor.yml'), '--watch-tick', '300ms'];
    servers = await Promise.all([0, 1].map(() => startCandorServe(store.url, args)));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await prometheus?.stop();
    await store?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('evaluates each watch once per due time, ends it and runs the rollback exactly once', async () => {
    const { secret } = await createApiToken(store, {
      name: 'deployer',
      scopes: ['canary', 'read'],
      now: new Date().toISOString(),
    });
    const call = async (server: RunningServer, path: string, body?: object) => {
      const response = await fetch(`${server.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${secret}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: await response.json() };
    };
    const [a, b] = servers as [RunningServer, RunningServer];
    // The window ends 6 s from now, however long the replicas took to start.
    const window = `${Math.ceil((Date.now() - deployedAt) / 1000) + 6}s`;
    const steady = await call(a, '/api/v1/watches', { service: 'steady', window });
    const leaky = await call(b, '/api/v1/watches', {
      service: 'leaky',
      deployment: 'leaky-1',
      window,
    });
    expect([steady.status, leaky.status]).toEqual([201, 201]);
    // Registered on the other replica too: the same watch.
    const again = await call(b, '/api/v1/watches', { service: 'steady' });
    expect(again).toMatchObject({ status: 200, json: { id: (steady.json as WatchView).id } });

    const finished = async (): Promise<WatchView[]> => {
      const list = await call(a, '/api/v1/watches?state=finished');
      const { watches } = list.json as { watches: WatchView[] };
      if (watches.length === 2) return watches;
      await new Promise((resolve) => setTimeout(resolve, 250));
      return finished();
    };
    const watches = await finished();
    const byService = Object.fromEntries(watches.map((w) => [w.service, w]));
    expect(byService['leaky']!.findings.map((f) => [f.result, f.reason])).toEqual([
      ['degraded', expect.any(String)],
    ]);
    expect(byService['leaky']).toMatchObject({ verdict: 'degraded', evaluations: 1 });
    expect(byService['steady']).toMatchObject({ verdict: 'healthy' });
    // Due every 2 s over the 6 s left of the window, plus its end: at most 5, whatever the replicas.
    expect(byService['steady']!.evaluations).toBeGreaterThanOrEqual(2);
    expect(byService['steady']!.evaluations).toBeLessThanOrEqual(5);

    // The rollback runs after the watch is marked finished: wait for its events (at most 10 s).
    const ledger = async (deadline: number) => {
      const rows = await store.db
        .selectFrom('delivery_events')
        .select(['service', 'type', 'result'])
        .where('type', '!=', 'deploy_finished')
        .orderBy('service')
        .orderBy('occurred_at')
        .orderBy('type', 'desc')
        .execute();
      if (rows.some((e) => e.type === 'rollback_finished') || Date.now() > deadline) return rows;
      await new Promise((resolve) => setTimeout(resolve, 250));
      return ledger(deadline);
    };
    const events = await ledger(Date.now() + 10_000);
    expect(events.map((e) => [e.service, e.type, e.result])).toEqual([
      ['leaky', 'watch_started', null],
      ['leaky', 'watch_finished', 'failure'],
      ['leaky', 'rollback_triggered', null],
      ['leaky', 'rollback_finished', 'success'],
      ['steady', 'watch_started', null],
      ['steady', 'watch_finished', 'success'],
    ]);
    expect(readFileSync(join(dir, 'rolled-back'), 'utf8')).toBe('leaky-1\n');

    // The dashboard's timeline of the deployment lists the watch.
    const timeline = await call(b, '/api/v1/dashboard/deployments/leaky-1/timeline?service=leaky');
    expect(
      (timeline.json as { steps: { type: string; result: string | null }[] }).steps.map((s) => [
        s.type,
        s.result,
      ]),
    ).toEqual([
      ['deploy_finished', 'success'],
      ['watch_started', null],
      ['watch_finished', 'failure'],
      ['rollback_triggered', null],
      ['rollback_finished', 'success'],
    ]);
  });
});
