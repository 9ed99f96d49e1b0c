import { describe, expect, it } from 'vitest';
import { CanaryConfig } from '../../config/canary-config.ts';
import { WatchServiceConfig } from '../../config/watch-config.ts';
import { openMetricSource } from '../../sources/metric-sources.ts';
import { freeLoopbackPort } from '../../testing/real-prometheus.ts';
import { collectWatch } from './collect-watch.ts';

const canary = (url: string) =>
  CanaryConfig.parse({
    source: { kind: 'prometheus', url, timeout: '1s', retries: 0 },
    metrics: [
      { name: 'memory', kind: 'gauge', query: 'app_memory_bytes{app="{{app}}"}' },
      {
        name: 'checkouts',
        kind: 'count',
        numerator: 'sum(ok{env="{{environment}}"})',
        denominator: 'sum(all)',
      },
    ],
  });
const watch = (labels: Record<string, string>) =>
  WatchServiceConfig.parse({
    labels,
    metrics: [
      { metric: 'memory', detector: 'drift', rollback: true },
      { metric: 'checkouts', detector: 'kpi' },
    ],
  });
const deployedAt = new Date('2026-12-01T10:00:00Z');

describe('collectWatch', () => {
  it('makes every metric inconclusive, with the reason, when the source is down', async () => {
    const url = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const report = await collectWatch({
      canary: canary(url),
      watch: watch({ app: 'shop' }),
      service: 'shop',
      deployment: 'd-1',
      environment: 'production',
      deployedAt,
      now: new Date(deployedAt.getTime() + 30 * 60_000),
      client: openMetricSource(canary(url).source, { env: {}, cwd: '/' }),
    });
    expect(report.verdict).toBe('inconclusive');
    expect(report.rollbackMetrics).toEqual([]);
    expect(report.findings.map((f) => [f.metric, f.detector, f.result])).toEqual([
      ['memory', 'drift', 'inconclusive'],
      ['checkouts', 'kpi', 'inconclusive'],
    ]);
    expect(report.findings[0]?.reason).toMatch(/^the source gave no answer: /);
    expect(report.evaluatedAt).toBe('2026-12-01T10:30:00.000Z');
  });

  it('refuses a placeholder the labels do not give, naming the service and metric', async () => {
    const url = `http://127.0.0.1:${await freeLoopbackPort()}`;
    await expect(
      collectWatch({
        canary: canary(url),
        watch: watch({}),
        service: 'shop',
        deployment: null,
        deployedAt,
        now: new Date(deployedAt.getTime() + 30 * 60_000),
        client: openMetricSource(canary(url).source, { env: {}, cwd: '/' }),
      }),
    ).rejects.toThrow(
      /watch\.shop (memory|checkouts): unknown placeholder \{\{(app|environment)\}\}.*set watch\.shop\.labels/,
    );
  });
});
