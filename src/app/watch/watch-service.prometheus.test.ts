import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CandorConfig } from '../../config/candor-config.ts';
import { simulateGauge } from '../../core/watch/calibration/simulate-watch.ts';
import { openMetricSource } from '../../sources/metric-sources.ts';
import { findDialect } from '../../store/dialects/dialects.ts';
import { openStore } from '../../store/open-store.ts';
import { startHttpReceiver } from '../../testing/http-receiver.ts';
import { startPrometheus } from '../../testing/real-prometheus.ts';
import { openTestStore, type TestStore } from '../../testing/open-test-store.ts';
import { runCliBinary } from '../../testing/run-cli-binary.ts';
import { recordEvents } from '../delivery/record-events.ts';
import type { WatchClock } from './watch-clock.ts';
import { watchService } from './watch-service.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
// Deployed two hours ago: the watch of one hour has all its data, the loop runs on a fake clock.
const deployedAt = Math.floor(Date.now() / minute) * minute - 2 * hour;

/** A seeded uniform generator (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type App = { app: string; leak: boolean; conversionAfter: number };

/**
 * OpenMetrics history for each app, sampled every 15 s: from 70 min before to 70 min after the
 * deploy, and the same hours a day earlier (the seasonal baseline). Memory is an AR(1) gauge
 * (φ = 0.8), with a leak of 1%/10 min after the deploy for leaking apps; checkouts start at
 * 4000 a minute and succeed at 30%, at `conversionAfter` after the deploy.
 */
function history(apps: App[]): string {
  const lines: string[] = [];
  const families = {
    app_memory_bytes: 'gauge',
    checkout_started: 'counter',
    checkout_success: 'counter',
  } as const;
  const samples = new Map<string, string[]>(Object.keys(families).map((f) => [f, []]));
  apps.forEach(({ app, leak, conversionAfter }, index) => {
    for (const [offset, seed] of [
      [day, 10 + index],
      [0, 20 + index],
    ] as const) {
      const from = deployedAt - offset - 70 * minute;
      const memory = simulateGauge(
        {
          minutes: 140,
          level: 5e8,
          noise: 0.002,
          phi: 0.8,
          seasonality: 0,
          startMinute: 0,
          ...(leak && offset === 0 ? { leakPerMinute: 0.001, leakFrom: 70 } : {}),
        },
        // The same memory realisation for apps that behave alike, so each test sees one it checks.
        seed - index + (leak ? 1 : 0),
      );
      const next = random(seed * 7);
      let started = 0;
      let success = 0;
      for (let i = 0; i < 140 * 4; i++) {
        const at = from + i * 15_000;
        const rate = offset === 0 && at >= deployedAt ? conversionAfter : 0.3;
        // 1000 checkouts per 15 s; the successes binomial (normal approximation, Box–Muller).
        const gauss = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
        started += 1000;
        success += Math.max(
          0,
          Math.round(1000 * rate + gauss * Math.sqrt(1000 * rate * (1 - rate))),
        );
        const t = (at / 1000).toFixed(3);
        samples
          .get('app_memory_bytes')!
          .push(`app_memory_bytes{app="${app}"} ${memory[Math.floor(i / 4)]!.toFixed(0)} ${t}`);
        samples
          .get('checkout_started')!
          .push(`checkout_started_total{app="${app}"} ${started} ${t}`);
        samples
          .get('checkout_success')!
          .push(`checkout_success_total{app="${app}"} ${success} ${t}`);
      }
    }
  });
  for (const [family, type] of Object.entries(families)) {
    lines.push(`# TYPE ${family} ${type}`);
    // OpenMetrics wants each series' samples in time order; sort by series, then time.
    const rows = samples.get(family)!;
    const series = (row: string) => row.slice(0, row.indexOf('}'));
    const time = (row: string) => Number(row.slice(row.lastIndexOf(' ')));
    rows.sort((a, b) => series(a).localeCompare(series(b)) || time(a) - time(b));
    lines.push(...rows);
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

const execRecording = (file: string) =>
  `{ kind: exec, argv: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(`require('fs').writeFileSync(${JSON.stringify(file)}, process.argv[1])`)}, "{{reason}}"] }`;

describe('candor watch against a real Prometheus with two hours of history', () => {
  let prometheus: { url: string; stop(): Promise<void> };
  let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
  let store: TestStore;
  let dir: string;
  let config: CandorConfig;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-watch-live-'));
    [prometheus, receiver, store] = await Promise.all([
      startPrometheus({
        targets: [],
        backfill: history([
          { app: 'steady', leak: false, conversionAfter: 0.3 },
          { app: 'leaky', leak: true, conversionAfter: 0.3 },
          { app: 'shop', leak: false, conversionAfter: 0.27 },
          { app: 'stuck', leak: true, conversionAfter: 0.3 },
          { app: 'promo', leak: false, conversionAfter: 0.27 },
        ]),
      }),
      startHttpReceiver(() => ({ status: 200 })),
      openTestStore('sqlite'),
    ]);
    const watched = (app: string, rollbackOn: 'memory' | 'checkouts') => `  ${app}:
    window: 1h
    every: 10m
    preDeploy: 1h
    labels: { app: ${app} }
    baselineDays: [1]
    metrics:
      - { metric: memory, detector: drift, direction: increase, limit: 1e9, rollback: ${rollbackOn === 'memory'} }
      - { metric: checkouts, detector: kpi, direction: decrease, threshold: 0.05, rollback: ${rollbackOn === 'checkouts'} }
      - { metric: checkouts, detector: burn, objective: 0.5 }
`;
    const yaml = `canary:
  source: { kind: prometheus, url: ${prometheus.url}, timeout: 5s, retries: 0 }
  interval: 1m
  metrics:
    - { name: memory, kind: gauge, query: 'app_memory_bytes{app="{{app}}"}' }
    - name: checkouts
      kind: count
      numerator: 'sum(increase(checkout_success_total{app="{{app}}"}[{{interval}}]))'
      denominator: 'sum(increase(checkout_started_total{app="{{app}}"}[{{interval}}]))'
services:
  steady: { rollback: ${execRecording(join(dir, 'steady-rolled-back'))} }
  leaky: { rollback: ${execRecording(join(dir, 'leaky-rolled-back'))} }
  shop: { rollback: { kind: webhook, url: '${receiver.url}/rollback', retries: 0, timeout: 2s } }
  stuck: { rollback: { kind: exec, argv: [${JSON.stringify(process.execPath)}, -e, 'setTimeout(() => {}, 60000)'], timeout: 300ms, killAfter: 100ms } }
  promo: { rollback: { kind: flag, provider: flagd, file: flags.json, flag: new-checkout } }
watch:
${watched('promo', 'checkouts')}${watched('steady', 'memory')}${watched('leaky', 'memory')}${watched('shop', 'checkouts')}${watched('stuck', 'memory')}`;
    writeFileSync(join(dir, 'candor.yml'), yaml);
    config = CandorConfig.parse((await import('yaml')).parse(yaml));
    writeFileSync(
      join(dir, 'flags.json'),
      JSON.stringify({
        flags: {
          'new-checkout': {
            state: 'ENABLED',
            variants: { on: true, off: false },
            defaultVariant: 'on',
            targeting: { if: [{ '==': [{ var: 'tier' }, 'beta'] }, 'on', 'off'] },
          },
        },
      }),
    );
    const events = [
      ...['steady', 'leaky', 'shop', 'stuck', 'promo'].map((service) => ['production', service]),
      ['staging', 'steady'],
      ['staging', 'leaky'],
    ].map(([environment, service]) => ({
      value: {
        type: 'deploy_finished',
        service,
        environment,
        deployment: `${service}-${environment === 'production' ? 42 : 'staging'}`,
        commit: 'abc1234',
        occurredAt: new Date(deployedAt).toISOString(),
        result: 'success',
      },
    }));
    const recorded = await recordEvents(store, events, {
      receivedAt: new Date().toISOString(),
      atomic: true,
    });
    expect(recorded.errors).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await receiver?.close();
    await store?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A clock from `after` the deploy on, whose sleeps move it on at once. */
  const fakeClock = (after: number) => {
    let now = deployedAt + after;
    const sleeps: number[] = [];
    const clock: WatchClock = {
      now: () => new Date(now),
      sleep: (ms) => {
        sleeps.push(ms);
        now += ms;
        return Promise.resolve();
      },
    };
    return { clock, sleeps };
  };
  // The loop starts 10 min after the deploy; `--once` looks an hour after it.
  const watch = (service: string, once = false, signal = new AbortController().signal) => {
    const { clock, sleeps } = fakeClock(once ? hour : 10 * minute);
    const location = findDialect(store.url)!.parseLocation(store.url, dir);
    return watchService(() => openStore(location), config, {
      service,
      environment: 'production',
      once,
      allowRollback: true,
      client: openMetricSource(config.canary!.source, { env: {}, cwd: dir }),
      clock,
      cwd: dir,
      env: {},
      signal,
    }).then((report) => ({ report, sleeps }));
  };

  it('keeps a steady service healthy through the whole window, every 10 minutes', async () => {
    const { report, sleeps } = await watch('steady');
    expect(report.findings.map((f) => [f.metric, f.detector, f.result])).toEqual([
      ['memory', 'drift', 'healthy'],
      ['checkouts', 'kpi', 'healthy'],
      ['checkouts', 'burn', 'healthy'],
    ]);
    expect([report.verdict, report.stopped, report.evaluations]).toEqual([
      'healthy',
      'window-ended',
      6,
    ]);
    expect(sleeps).toEqual([10, 10, 10, 10, 10].map((m) => m * minute));
    expect(report.findings[0]?.reason).toContain('GLS slope since the deploy');
    expect(report.deployment).toBe('steady-42');
    expect(report.rollbackRun).toBeNull();
    expect(existsSync(join(dir, 'steady-rolled-back'))).toBe(false);
  });

  it('finds a leak of 1%/10 min, stops and runs the exec rollback, recorded', async () => {
    const { report } = await watch('leaky');
    expect([report.verdict, report.stopped]).toEqual(['degraded', 'degraded']);
    expect(report.evaluations).toBeLessThanOrEqual(6);
    const drift = report.findings.find((f) => f.detector === 'drift');
    expect(drift?.result).toBe('degraded');
    expect(drift?.reason).toMatch(/limit|increase|per hour/);
    // The noise learnt from the hour before the deploy, read from Prometheus like the rest.
    expect(drift?.reason).toMatch(/GLS slope since the deploy, φ = 0\.\d+ and σ from 60 points/);
    expect(report.rollbackMetrics).toEqual(['memory']);
    expect(report.rollbackRun).toMatchObject({
      outcome: { result: 'success' },
      deployment: 'leaky-42',
    });
    expect(readFileSync(join(dir, 'leaky-rolled-back'), 'utf8')).toContain('memory drift');
    // The live watch is in the ledger, before the rollback it ran: started, then finished degraded.
    const events = await store.db
      .selectFrom('delivery_events')
      .select(['type', 'result', 'deployment', 'source'])
      .where('service', '=', 'leaky')
      .where('type', 'in', ['watch_started', 'watch_finished', 'rollback_triggered'])
      .orderBy('occurred_at')
      .orderBy('type', 'desc')
      .execute();
    expect(events.map((e) => [e.type, e.result, e.deployment])).toEqual([
      ['watch_started', null, 'leaky-42'],
      ['watch_finished', 'failure', 'leaky-42'],
      ['rollback_triggered', null, 'leaky-42'],
    ]);
  });

  it('finds a 10% KPI drop against yesterday and calls the webhook rollback', async () => {
    const { report } = await watch('shop', true);
    expect([report.verdict, report.stopped]).toEqual(['degraded', 'once']);
    const kpi = report.findings.find((f) => f.detector === 'kpi');
    expect(kpi?.result).toBe('degraded');
    expect(kpi?.effect?.estimate).toBeLessThan(-0.05);
    expect(report.rollbackRun).toMatchObject({ outcome: { result: 'success' }, action: 'webhook' });
    expect(receiver.requests.map((r) => r.path)).toEqual(['/rollback']);
  });

  it('records an action that times out as a failed rollback, run once', async () => {
    const { report } = await watch('stuck', true);
    expect(report.verdict).toBe('degraded');
    expect(report.rollbackRun?.outcome).toMatchObject({ result: 'failure' });
    expect(report.rollbackRun?.outcome?.message).toMatch(/timed out|timeout/);
  });

  it('turns the flag off (flagd file) when the KPI drop is on a flagged service', async () => {
    const { report } = await watch('promo', true);
    expect(report.rollbackRun).toMatchObject({ outcome: { result: 'success' }, action: 'flag' });
    const flag = (
      JSON.parse(readFileSync(join(dir, 'flags.json'), 'utf8')) as {
        flags: Record<string, { defaultVariant: string; targeting?: unknown }>;
      }
    ).flags['new-checkout'];
    expect(flag?.defaultVariant).toBe('off');
    expect(flag?.targeting).toBeUndefined();
  });

  it('stops on a signal: inconclusive, nothing rolled back', async () => {
    const controller = new AbortController();
    controller.abort();
    const { report } = await watch('leaky', false, controller.signal);
    expect([report.verdict, report.stopped, report.evaluations]).toEqual([
      'inconclusive',
      'signal',
      1,
    ]);
    expect(report.rollbackRun).toBeNull();
  });

  it('candor watch --service --once --json: the CLI reads the ledger and the source (exit 1)', async () => {
    // Both read only: run side by side (each binary takes seconds to start on a busy machine).
    const [result, unknown] = await Promise.all([
      runCliBinary(
        ['watch', '--service', 'shop', '--once', '--json', '--no-rollback', '--db', store.url],
        { cwd: dir },
      ),
      runCliBinary(['watch', '--service', 'nobody', '--once', '--db', store.url], { cwd: dir }),
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      verdict: string;
      deployment: string;
      stopped: string;
    };
    expect([report.verdict, report.deployment, report.stopped]).toEqual([
      'degraded',
      'shop-42',
      'once',
    ]);
    expect(result.stderr).toContain('--no-rollback: nothing ran');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'candor.yml has no watch.nobody; watched services: promo, steady',
    );
  });

  it('shows the rollbacks the watch ran in candor dora', async () => {
    const dora = await runCliBinary(['dora', '--json', '--db', store.url], { cwd: dir });
    expect(dora.stderr).toBe('');
    const report = JSON.parse(dora.stdout) as { rollbackSuccessRate: number | null };
    // Four rollbacks ran (leaky's exec, shop's webhook, promo's flag, stuck's timed-out exec).
    expect(report.rollbackSuccessRate).toBeCloseTo(3 / 4, 5);
  });

  it('candor rollback drill --verify: a watch check after the action, in the drill event', async () => {
    const drill = (service: string) =>
      runCliBinary(
        [
          'rollback',
          'drill',
          '--service',
          service,
          '--verify',
          '--reason',
          'drill',
          '--json',
          '--db',
          store.url,
        ],
        { cwd: dir },
      );
    const steady = await drill('steady');
    expect(steady.code).toBe(0);
    const ok = JSON.parse(steady.stdout) as { verification: unknown; recorded: unknown[] };
    expect(ok.verification).toMatchObject({ verdict: 'healthy' });
    expect(ok.verification).toMatchObject({ summary: expect.stringContaining('steady-staging') });
    const leaky = await drill('leaky');
    expect(leaky.code).toBe(1);
    const failed = JSON.parse(leaky.stdout) as { outcome: { result: string; message: string } };
    expect(failed.outcome.result).toBe('failure');
    expect(failed.outcome.message).toContain('found the service degraded');
    const events = await store.db
      .selectFrom('delivery_events')
      .select(['service', 'result', 'attributes'])
      .where('type', '=', 'rollback_drill')
      .orderBy('service')
      .execute();
    expect(
      events.map((e) => [e.service, e.result, String(e.attributes).match(/"verify":"(\w+)"/)?.[1]]),
    ).toEqual([
      ['leaky', 'failure', 'degraded'],
      ['steady', 'success', 'healthy'],
    ]);
  });
});
