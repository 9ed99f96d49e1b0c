import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServiceDeliverySnapshot } from '../../app/delivery/build-dora-report.ts';
import { computeDora } from '../../core/delivery/dora/compute-dora.ts';
import { collectors, doraBucketsSeconds } from './collectors.ts';
import type { MetricsSnapshot } from './metric-collector.ts';

const empty = computeDora([], { from: 0, to: 1, environment: 'production', incidentWindowMs: 1 });
const service = (
  name: string,
  fields: Partial<Omit<ServiceDeliverySnapshot, 'report'>> & {
    deployments?: number;
    failed?: number;
  } = {},
): ServiceDeliverySnapshot => ({
  service: name,
  environment: 'production',
  report: { ...empty, deployments: fields.deployments ?? 0, failedDeployments: fields.failed ?? 0 },
  leadTimes: fields.leadTimes ?? [],
  recoveries: fields.recoveries ?? [],
  rollbacksOk: fields.rollbacksOk ?? 0,
  rollbacksFailed: fields.rollbacksFailed ?? 0,
});
const snapshot: MetricsSnapshot = {
  delivery: [
    service('api', { deployments: 3, failed: 1, leadTimes: [60, 120], rollbacksOk: 1 }),
    service('web', { recoveries: [30], rollbacksOk: 2, rollbacksFailed: 1 }),
  ],
  flake: { window: '14d', rate: 0.25, flakyTests: 1, testsSeen: 4 },
};
const samples = (name: keyof typeof collectors, of = snapshot) => collectors[name].collect(of);

describe('collectors', () => {
  it('splits deployments by result and counts failures per service', () => {
    expect(samples('candor_deployments_total')).toEqual([
      { labels: { service: 'api', environment: 'production', result: 'success' }, value: 2 },
      { labels: { service: 'api', environment: 'production', result: 'failure' }, value: 1 },
      { labels: { service: 'web', environment: 'production', result: 'success' }, value: 0 },
      { labels: { service: 'web', environment: 'production', result: 'failure' }, value: 0 },
    ]);
    expect(samples('candor_change_failures_total').map((s) => s.value)).toEqual([1, 0]);
  });

  it('observes every lead and recovery time, in seconds', () => {
    const api = { service: 'api', environment: 'production' };
    expect(samples('candor_lead_time_seconds')).toEqual([
      { labels: api, value: 60 },
      { labels: api, value: 120 },
    ]);
    expect(samples('candor_recovery_time_seconds')).toEqual([
      { labels: { service: 'web', environment: 'production' }, value: 30 },
    ]);
  });

  it('adds up finished rollbacks over services', () => {
    expect(samples('candor_rollbacks_total')).toEqual([
      { labels: { result: 'success' }, value: 3 },
      { labels: { result: 'failure' }, value: 1 },
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

  it('has histogram buckets at the DORA bands, ascending', () => {
    expect(doraBucketsSeconds).toEqual([...doraBucketsSeconds].sort((a, b) => a - b));
    for (const band of [3_600, 86_400, 604_800, 2_592_000, 15_552_000])
      expect(doraBucketsSeconds).toContain(band);
  });

  it('are each documented in DEFINITIONS.md "Prometheus"', () => {
    const definitions = readFileSync(new URL('../../../DEFINITIONS.md', import.meta.url), 'utf8');
    const section = definitions.slice(definitions.indexOf('## Prometheus'));
    for (const name of Object.keys(collectors)) expect(section).toContain(name);
  });
});
