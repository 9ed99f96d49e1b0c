import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CandorConfig } from '../../config/candor-config.ts';
import { openMetricSource } from '../../sources/metric-sources.ts';
import { recordedQueryFile } from '../../sources/recorded-query.ts';
import { openTestStore, type TestStore } from '../../testing/open-test-store.ts';
import { recordEvents } from '../delivery/record-events.ts';
import type { WatchClock } from './watch-clock.ts';
import { watchService } from './watch-service.ts';

const minute = 60_000;
const deployedAt = Date.parse('2026-12-01T10:00:00.000Z');
const step = 60;
const start = deployedAt / 1000;
const queries = {
  outside: 'max(checkout_price_outside_catalog_ratio{env="production"})',
  discount: 'avg(checkout_discount_ratio{env="production"})',
  staging: 'avg(checkout_discount_ratio{env="staging"})',
};

/** The catalog: one ai-drift entry for checkout in production, one for staging (not watched). */
const entry = (id: string, environment: string, invariants: string) => `id: ${id}
title: AI pricing stays inside the catalog
kind: ai-drift
owner: team-pricing
service: checkout
severity: sev2
blastRadius: { environment: ${environment}, mode: all, maxDuration: 2h }
slo: { name: checkout-availability, objective: 99.9%, requireErrorBudgetRemaining: 25% }
invariants:
${invariants}
`;

/** A Prometheus range answer with one series: `value(minute)` at each grid point. */
function answer(points: number, value: (minute: number) => number): string {
  const values = Array.from({ length: points }, (_, i) => [
    start + (i + 1) * step,
    String(value(i + 1)),
  ]);
  return JSON.stringify({
    status: 'success',
    data: { resultType: 'matrix', result: [{ metric: {}, values }] },
  });
}

describe('candor watch evaluates the ai-drift invariants of the catalog', () => {
  let dir: string;
  let store: TestStore;
  let config: CandorConfig;
  const rolledBack = () => join(dir, 'rolled-back.txt');

  /** Records the answers of a replay `name` for the grids of evaluations ending at `ends` minutes. */
  const record = (
    name: string,
    ends: number[],
    series: Partial<Record<keyof typeof queries, (minute: number) => number>>,
  ) => {
    mkdirSync(join(dir, name), { recursive: true });
    for (const end of ends)
      for (const [key, value] of Object.entries(series)) {
        const request = {
          kind: 'range' as const,
          query: queries[key as keyof typeof queries],
          start: start + step,
          end: start + end * 60,
          step,
        };
        writeFileSync(join(dir, name, recordedQueryFile(request)), answer(end, value));
      }
  };

  const watch = (replay: string, options: { once: boolean; after: number }) => {
    let now = deployedAt + options.after * minute;
    const sleeps: number[] = [];
    const clock: WatchClock = {
      now: () => new Date(now),
      sleep: (ms) => {
        sleeps.push(ms);
        now += ms;
        return Promise.resolve();
      },
    };
    const replayed = {
      ...config,
      canary: { ...config.canary!, source: { kind: 'file' as const, dir: replay } },
    };
    return watchService(() => Promise.resolve(store), replayed, {
      service: 'checkout',
      environment: 'production',
      once: options.once,
      allowRollback: true,
      client: openMetricSource(replayed.canary.source, { env: {}, cwd: dir }),
      clock,
      cwd: dir,
      env: {},
      signal: new AbortController().signal,
    }).then((report) => ({ report, sleeps }));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-watch-invariants-'));
    const recordRollback = `require('fs').writeFileSync(${JSON.stringify(rolledBack())}, process.argv[1])`;
    const yaml = `canary:
  source: { kind: file, dir: none }
  interval: 1m
  metrics:
    - { name: memory, kind: gauge, query: 'app_memory_bytes{app="checkout"}' }
services:
  checkout:
    rollback: { kind: exec, argv: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(recordRollback)}, '{{reason}}'] }
watch:
  checkout:
    window: 30m
    every: 10m
    metrics: [{ metric: memory, detector: drift }]
`;
    config = CandorConfig.parse(parse(yaml));
    mkdirSync(join(dir, '.candor/chaos'), { recursive: true });
    writeFileSync(
      join(dir, '.candor/chaos/pricing-drift.yml'),
      entry(
        'pricing-drift',
        'production',
        `  - { name: prices outside the catalog range, query: 'max(checkout_price_outside_catalog_ratio{env="{{environment}}"})', op: '=', value: 0 }
  - { name: discount ratio, query: 'avg(checkout_discount_ratio{env="{{environment}}"})', op: '<=', value: 0.3, rollback: true }`,
      ),
    );
    writeFileSync(
      join(dir, '.candor/chaos/pricing-staging.yml'),
      entry(
        'pricing-staging',
        'staging',
        `  - { name: discount ratio, query: '${queries.staging}', op: '<=', value: 0.1 }`,
      ),
    );
    // Healthy: no price outside the range, discounts at 20 %. Breach: discounts at 45 % from
    // minute 15. No data: only the discount is recorded.
    record('healthy', [30], { outside: () => 0, discount: () => 0.2 });
    record('breach', [10, 20, 30], {
      outside: () => 0,
      discount: (m) => (m >= 15 ? 0.45 : 0.2),
    });
    record('no-data', [30], { discount: () => 0.2 });

    store = await openTestStore('sqlite');
    const recorded = await recordEvents(
      store,
      [
        {
          value: {
            type: 'deploy_finished',
            service: 'checkout',
            environment: 'production',
            deployment: 'checkout-7',
            occurredAt: new Date(deployedAt).toISOString(),
            result: 'success',
          },
        },
      ],
      { receivedAt: new Date(deployedAt).toISOString(), atomic: true },
    );
    expect(recorded.errors).toEqual([]);
    // The watch closes the store it opens; keep this one for the test's own cleanup.
    store.close = () => Promise.resolve();
  });
  afterAll(async () => {
    await store.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks each invariant of the entries of this service and environment as an absolute bound', async () => {
    const { report } = await watch('healthy', { once: true, after: 30 });
    const invariants = report.findings.filter((f) => f.detector === 'invariant');
    expect(invariants.map((f) => [f.metric, f.result])).toEqual([
      ['pricing-drift/prices outside the catalog range', 'healthy'],
      ['pricing-drift/discount ratio', 'healthy'],
    ]);
    expect(invariants[1]?.invariant).toMatchObject({
      entry: 'pricing-drift',
      condition: '<= 0.3',
      blastRadius: { environment: 'production', mode: 'all' },
      measured: 30,
      breaches: 0,
    });
    // memory was not recorded: that metric is inconclusive, and so is the verdict.
    expect(report.verdict).toBe('inconclusive');
    expect(report.rollbackRun).toBeNull();
  });

  it('says inconclusive, never healthy, for an invariant the source has no data for', async () => {
    const { report } = await watch('no-data', { once: true, after: 30 });
    const outside = report.findings.find(
      (f) => f.metric === 'pricing-drift/prices outside the catalog range',
    );
    expect(outside?.result).toBe('inconclusive');
    expect(outside?.reason).toMatch(/^the source gave no answer: no-data holds no answer/);
  });

  it('stops the loop at the evaluation that sees a breach and rolls back for a rollback: true invariant', async () => {
    const { report, sleeps } = await watch('breach', { once: false, after: 10 });
    expect([report.verdict, report.stopped, report.evaluations]).toEqual([
      'degraded',
      'degraded',
      2,
    ]);
    expect(sleeps).toEqual([10 * minute]);
    const discount = report.findings.find((f) => f.metric === 'pricing-drift/discount ratio');
    expect(discount).toMatchObject({
      result: 'degraded',
      rollback: true,
      invariant: { value: 0.45, measured: 20, breaches: 6 },
    });
    expect(report.rollbackMetrics).toEqual(['pricing-drift/discount ratio']);
    expect(report.rollbackRun?.outcome?.result).toBe('success');
    expect(existsSync(rolledBack())).toBe(true);
    expect(readFileSync(rolledBack(), 'utf8')).toContain(
      'pricing-drift/discount ratio invariant: discount ratio broke <= 0.3 in 6 of 20 intervals',
    );
  });
});
