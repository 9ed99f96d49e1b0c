import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readDeliveryTotals,
  type ServiceDeliveryTotals,
} from '../../app/delivery/read-delivery-totals.ts';
import { recordEvents } from '../../app/delivery/record-events.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { collectors, doraBucketsSeconds } from './collectors.ts';
import type { MetricsSnapshot } from './metric-collector.ts';

const counted = (values: number[]) => {
  const counts = new Array<number>(doraBucketsSeconds.length + 1).fill(0);
  for (const v of values) {
    const i = doraBucketsSeconds.findIndex((edge) => v <= edge);
    const at = i === -1 ? doraBucketsSeconds.length : i;
    counts[at] = (counts[at] ?? 0) + 1;
  }
  return { counts, sum: values.reduce((n, v) => n + v, 0) };
};
const service = (
  name: string,
  fields: Partial<ServiceDeliveryTotals> = {},
): ServiceDeliveryTotals => ({
  service: name,
  environment: 'production',
  deployments: { success: 0, failure: 0 },
  changeFailures: 0,
  rollbacks: { success: 0, failure: 0 },
  leadTime: counted([]),
  recoveryTime: counted([]),
  ...fields,
});
const snapshot: MetricsSnapshot = {
  delivery: [
    service('api', {
      deployments: { success: 2, failure: 1 },
      changeFailures: 2,
      leadTime: counted([60, 120]),
      rollbacks: { success: 1, failure: 0 },
    }),
    service('web', { recoveryTime: counted([30]), rollbacks: { success: 2, failure: 1 } }),
  ],
  flake: { window: '14d', rate: 0.25, flakyTests: 1, testsSeen: 4 },
};
const samples = (name: keyof typeof collectors, of = snapshot) => collectors[name].collect(of);

describe('collectors', () => {
  it('splits deployments by finish result and counts failures per service and environment', () => {
    expect(samples('candor_deployments_total')).toEqual([
      { labels: { service: 'api', environment: 'production', result: 'success' }, value: 2 },
      { labels: { service: 'api', environment: 'production', result: 'failure' }, value: 1 },
      { labels: { service: 'web', environment: 'production', result: 'success' }, value: 0 },
      { labels: { service: 'web', environment: 'production', result: 'failure' }, value: 0 },
    ]);
    expect(samples('candor_change_failures_total')).toEqual([
      { labels: { service: 'api', environment: 'production' }, value: 2 },
      { labels: { service: 'web', environment: 'production' }, value: 0 },
    ]);
  });

  it('gives counted lead and recovery histograms per service and environment', () => {
    const api = { service: 'api', environment: 'production' };
    expect(samples('candor_lead_time_seconds')[0]).toEqual({ labels: api, ...counted([60, 120]) });
    expect(samples('candor_recovery_time_seconds')[1]).toEqual({
      labels: { service: 'web', environment: 'production' },
      ...counted([30]),
    });
  });

  it('counts finished rollbacks per service and environment', () => {
    expect(
      samples('candor_rollbacks_total').map((s) => [s.labels, 'value' in s && s.value]),
    ).toEqual([
      [{ service: 'api', environment: 'production', result: 'success' }, 1],
      [{ service: 'api', environment: 'production', result: 'failure' }, 0],
      [{ service: 'web', environment: 'production', result: 'success' }, 2],
      [{ service: 'web', environment: 'production', result: 'failure' }, 1],
    ]);
  });

  it('gives flake gauges only once test reports exist, and no rate without executions', () => {
    expect(samples('candor_flake_rate')).toEqual([{ labels: { window: '14d' }, value: 0.25 }]);
    expect(samples('candor_flaky_tests')).toEqual([{ labels: { window: '14d' }, value: 1 }]);
    const before = { ...snapshot, flake: undefined };
    expect(samples('candor_flake_rate', before)).toEqual([]);
    expect(samples('candor_flaky_tests', before)).toEqual([]);
    const noRate = { ...snapshot, flake: { ...snapshot.flake!, rate: null } };
    expect(samples('candor_flake_rate', noRate)).toEqual([]);
  });

  it('follows the naming rules, with no per-commit or per-deployment label', () => {
    for (const [name, collector] of Object.entries(collectors)) {
      expect(name).toMatch(/^candor_[a-z_]+$/);
      if (collector.type === 'counter') expect(name).toMatch(/_total$/);
      expect(collector.labels).not.toContain('commit');
      expect(collector.labels).not.toContain('deployment');
      for (const sample of collector.collect(snapshot))
        expect(Object.keys(sample.labels)).toEqual(collector.labels);
    }
  });

  it('gives every delivery series the same service and environment labels', () => {
    for (const [name, collector] of Object.entries(collectors))
      if (!name.includes('flak'))
        expect(collector.labels.slice(0, 2)).toEqual(['service', 'environment']);
  });

  it('has histogram buckets at the DORA bands, ascending', () => {
    expect(doraBucketsSeconds).toEqual([...doraBucketsSeconds].sort((a, b) => a - b));
    for (const band of [3_600, 86_400, 604_800, 2_592_000, 15_552_000])
      expect(doraBucketsSeconds).toContain(band);
  });

  it('are each documented in DEFINITIONS.md "Prometheus", with their labels', () => {
    const definitions = readFileSync(new URL('../../../DEFINITIONS.md', import.meta.url), 'utf8');
    const section = definitions.slice(definitions.indexOf('## Prometheus'));
    for (const [name, collector] of Object.entries(collectors)) {
      const row = section.split('\n').find((line) => line.includes(`\`${name}\``));
      expect(row, name).toBeDefined();
      for (const label of collector.labels)
        expect(row, `${name} ${label}`).toContain(`\`${label}\``);
    }
  });
});

/** Every value of every delivery series (counters, and histogram buckets, sums and counts). */
function seriesValues(of: MetricsSnapshot): Map<string, number> {
  const values = new Map<string, number>();
  for (const [name, collector] of Object.entries(collectors)) {
    if (name.includes('flak')) continue;
    for (const sample of collector.collect(of)) {
      const key = `${name}${JSON.stringify(sample.labels)}`;
      if ('value' in sample) values.set(key, sample.value);
      else {
        let cumulative = 0;
        sample.counts.forEach((n, i) => values.set(`${key}le${i}`, (cumulative += n)));
        values.set(`${key}count`, cumulative);
      }
    }
  }
  return values;
}

describe.each(testDialects)('delivery counters across scrapes on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('never go down when an incident is linked to a deployment later', async () => {
    const at = (minutes: number) =>
      new Date(Date.parse('2026-11-20T10:00:00Z') + minutes * 60_000).toISOString();
    const p = { service: 'api', environment: 'production', source: 'ci' };
    const steps = [
      [
        {
          type: 'commit_created',
          id: 'c',
          occurredAt: at(0),
          service: 'api',
          commit: 'k1',
          source: 'ci',
        },
        {
          type: 'deploy_started',
          id: 's1',
          occurredAt: at(10),
          ...p,
          deployment: 'p1',
          commit: 'k1',
        },
        {
          type: 'deploy_finished',
          id: 'f1',
          occurredAt: at(20),
          ...p,
          deployment: 'p1',
          result: 'success',
        },
      ],
      // An incident inferred onto p1, then resolved: p1 fails and recovers.
      [
        {
          type: 'incident_opened',
          id: 'i1',
          occurredAt: at(60),
          service: 'api',
          incident: 'x',
          source: 'pd',
        },
      ],
      [
        {
          type: 'incident_resolved',
          id: 'r1',
          occurredAt: at(120),
          service: 'api',
          incident: 'x',
          source: 'pd',
        },
      ],
      // A second deployment, finished before its start arrives; then an explicit link 3 days on.
      [
        {
          type: 'deploy_finished',
          id: 'f2',
          occurredAt: at(200),
          ...p,
          deployment: 'p2',
          result: 'failure',
        },
      ],
      [{ type: 'deploy_started', id: 's2', occurredAt: at(190), ...p, deployment: 'p2' }],
      [
        {
          type: 'incident_opened',
          id: 'i2',
          occurredAt: at(4_500),
          service: 'api',
          deployment: 'p1',
          source: 'pd',
        },
      ],
      [
        {
          type: 'rollback_finished',
          id: 'b1',
          occurredAt: at(4_600),
          ...p,
          deployment: 'p1',
          result: 'success',
        },
      ],
    ];
    let previous = new Map<string, number>();
    const scrapes: Map<string, number>[] = [];
    for (const events of steps) {
      await recordEvents(
        store,
        events.map((value) => ({ value })),
        {
          receivedAt: at(5_000),
          atomic: true,
        },
      );
      const values = seriesValues({ delivery: await readDeliveryTotals(store), flake: undefined });
      for (const [key, value] of previous)
        expect(values.get(key), key).toBeGreaterThanOrEqual(value);
      previous = values;
      scrapes.push(values);
    }
    const final = scrapes.at(-1) as Map<string, number>;
    const api = '{"service":"api","environment":"production"';
    expect(final.get(`candor_deployments_total${api},"result":"success"}`)).toBe(1);
    expect(final.get(`candor_deployments_total${api},"result":"failure"}`)).toBe(1);
    expect(final.get(`candor_change_failures_total${api}}`)).toBe(2);
    expect(final.get(`candor_recovery_time_seconds${api}}count`)).toBe(1);
    expect(final.get(`candor_lead_time_seconds${api}}count`)).toBe(1);
    expect(final.get(`candor_rollbacks_total${api},"result":"success"}`)).toBe(1);
    // The failure arrived with the incident: counted from the second scrape on.
    expect(scrapes[0]?.get(`candor_change_failures_total${api}}`)).toBe(0);
    expect(scrapes[1]?.get(`candor_change_failures_total${api}}`)).toBe(1);
  });

  it('gives a histogram sum in whole milliseconds, whatever order its seconds were added in', async () => {
    // 0.1 + 0.2 s added in one order and 0.3 s in another: 0.6000000000000001 against 0.6.
    const sumRow = (service: string, value: number) => ({
      service,
      environment: 'staging',
      metric: 'lead_time',
      label: 'sum',
      value,
    });
    await store.db
      .insertInto('delivery_totals')
      .values([sumRow('one', 0.1 + 0.2 + 0.3), sumRow('other', 0.3 + 0.2 + 0.1)])
      .execute();
    const totals = await readDeliveryTotals(store);
    const sumOf = (service: string) => totals.find((t) => t.service === service)?.leadTime.sum;
    expect(0.1 + 0.2 + 0.3).not.toBe(0.3 + 0.2 + 0.1);
    expect(sumOf('one')).toBe(0.6);
    expect(sumOf('other')).toBe(0.6);
  });
});
