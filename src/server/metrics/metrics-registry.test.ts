import { describe, expect, it } from 'vitest';
import { defineCollector, type MetricsSnapshot } from './metric-collector.ts';
import { createMetricsRegistry } from './metrics-registry.ts';

const edges = [10, 100];

/** A snapshot whose only content is its services' lead times (counted in `edges`) and flaky tests. */
const snapshot = (leadTimes: Record<string, number[]>, flakyTests?: number): MetricsSnapshot => ({
  delivery: Object.entries(leadTimes).map(([service, values]) => {
    const counts = [0, 0, 0];
    for (const v of values) {
      const i = edges.findIndex((edge) => v <= edge);
      const at = i === -1 ? edges.length : i;
      counts[at] = (counts[at] ?? 0) + 1;
    }
    return {
      service,
      environment: 'production',
      deployments: { success: values.length, failure: 0 },
      changeFailures: 0,
      rollbacks: { success: 0, failure: 0 },
      leadTime: { counts, sum: values.reduce((n, v) => n + v, 0) },
      recoveryTime: { counts: [0, 0, 0], sum: 0 },
    };
  }),
  flake:
    flakyTests === undefined ? undefined : { window: '7d', rate: null, flakyTests, testsSeen: 1 },
});

const table = {
  demo_changes_total: defineCollector({
    help: 'Changes per service.',
    type: 'counter',
    labels: ['service'],
    collect: ({ delivery }) =>
      delivery.map(({ service, deployments }) => ({
        labels: { service },
        value: deployments.success,
      })),
  }),
  demo_seconds: defineCollector({
    help: 'Lead times.',
    type: 'histogram',
    labels: ['service'],
    buckets: edges,
    collect: ({ delivery }) =>
      delivery
        .filter(({ deployments }) => deployments.success > 0)
        .map(({ service, leadTime }) => ({ labels: { service }, ...leadTime })),
  }),
  demo_flaky: defineCollector({
    help: 'Flaky tests.',
    type: 'gauge',
    labels: ['window'],
    collect: ({ flake }) =>
      flake === undefined ? [] : [{ labels: { window: flake.window }, value: flake.flakyTests }],
  }),
};

describe('createMetricsRegistry', () => {
  it('writes each entry of the table in order, as Prometheus text', async () => {
    const registry = createMetricsRegistry(table);
    expect(registry.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await registry.render(snapshot({ api: [5, 50, 500] }, 2))).toBe(
      [
        '# HELP demo_changes_total Changes per service.',
        '# TYPE demo_changes_total counter',
        'demo_changes_total{service="api"} 3',
        '',
        '# HELP demo_seconds Lead times.',
        '# TYPE demo_seconds histogram',
        'demo_seconds_bucket{le="10",service="api"} 1',
        'demo_seconds_bucket{le="100",service="api"} 2',
        'demo_seconds_bucket{le="+Inf",service="api"} 3',
        'demo_seconds_sum{service="api"} 555',
        'demo_seconds_count{service="api"} 3',
        '',
        '# HELP demo_flaky Flaky tests.',
        '# TYPE demo_flaky gauge',
        'demo_flaky{window="7d"} 2',
        '',
      ].join('\n'),
    );
  });

  it('keeps nothing of an earlier snapshot: a series without a sample is absent', async () => {
    const registry = createMetricsRegistry(table);
    await registry.render(snapshot({ api: [5], web: [7] }, 2));
    const text = await registry.render(snapshot({ web: [] }));
    expect(text).toContain('demo_changes_total{service="web"} 0');
    expect(text).not.toContain('service="api"');
    expect(text).not.toMatch(/^demo_seconds_/m);
    expect(text).not.toMatch(/^demo_flaky\{/m);
  });

  it('renders concurrent snapshots one at a time, each with its own samples', async () => {
    const registry = createMetricsRegistry(table);
    const texts = await Promise.all(
      ['a', 'b', 'c'].map((service) => registry.render(snapshot({ [service]: [1] }))),
    );
    expect(texts.map((t) => /demo_changes_total\{service="(\w)"\} 1/.exec(t)?.[1])).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});
