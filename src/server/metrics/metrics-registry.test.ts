import { describe, expect, it } from 'vitest';
import { computeDora } from '../../core/delivery/dora/compute-dora.ts';
import { defineCollector, type MetricsSnapshot } from './metric-collector.ts';
import { createMetricsRegistry } from './metrics-registry.ts';

/** A snapshot whose only content is its services' lead times and flaky tests. */
const snapshot = (leadTimes: Record<string, number[]>, flakyTests?: number): MetricsSnapshot => ({
  delivery: Object.entries(leadTimes).map(([service, values]) => ({
    service,
    environment: 'production',
    report: computeDora([], { from: 0, to: 1, environment: 'production', incidentWindowMs: 1 }),
    leadTimes: values,
    recoveries: [],
    rollbacksOk: 0,
    rollbacksFailed: 0,
  })),
  flake:
    flakyTests === undefined ? undefined : { window: '7d', rate: null, flakyTests, testsSeen: 1 },
});

const table = {
  demo_changes_total: defineCollector({
    help: 'Changes per service.',
    type: 'counter',
    labels: ['service'],
    collect: ({ delivery }) =>
      delivery.map(({ service, leadTimes }) => ({ labels: { service }, value: leadTimes.length })),
  }),
  demo_seconds: defineCollector({
    help: 'Lead times.',
    type: 'histogram',
    labels: ['service'],
    buckets: [10, 100],
    collect: ({ delivery }) =>
      delivery.flatMap(({ service, leadTimes }) =>
        leadTimes.map((value) => ({ labels: { service }, value })),
      ),
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
