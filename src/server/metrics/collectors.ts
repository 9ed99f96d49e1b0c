import { defineCollector, type MetricCollector } from './metric-collector.ts';

/**
 * Bucket edges, in seconds: 1 min, 5 min, 15 min, 30 min, then 1 h, 4 h, 1 d, 3 d, 1 w, 30 d and
 * 180 d (the DORA bands are at 1 h, 1 d, 1 w, 30 d and 180 d).
 */
export const doraBucketsSeconds = [
  60, 300, 900, 1_800, 3_600, 14_400, 86_400, 259_200, 604_800, 2_592_000, 15_552_000,
];

/**
 * Every metric of `/metrics` (DEFINITIONS.md "Prometheus"), in the order it is written: adding a
 * metric is one entry. No per-commit or per-deployment labels.
 */
export const collectors = {
  candor_deployments_total: defineCollector({
    help: 'Production deployments by result (failure: canary failed, rolled back, or an incident within 24 h).',
    type: 'counter',
    labels: ['service', 'environment', 'result'],
    collect: ({ delivery }) =>
      delivery.flatMap(({ service, environment, report }) => [
        {
          labels: { service, environment, result: 'success' },
          value: report.deployments - report.failedDeployments,
        },
        { labels: { service, environment, result: 'failure' }, value: report.failedDeployments },
      ]),
  }),
  candor_change_failures_total: defineCollector({
    help: 'Production deployments that failed.',
    type: 'counter',
    labels: ['service', 'environment'],
    collect: ({ delivery }) =>
      delivery.map(({ service, environment, report }) => ({
        labels: { service, environment },
        value: report.failedDeployments,
      })),
  }),
  candor_lead_time_seconds: defineCollector({
    help: 'Lead time for changes: first commit of a change to its production deployment.',
    type: 'histogram',
    labels: ['service', 'environment'],
    buckets: doraBucketsSeconds,
    collect: ({ delivery }) =>
      delivery.flatMap(({ service, environment, leadTimes }) =>
        leadTimes.map((value) => ({ labels: { service, environment }, value })),
      ),
  }),
  candor_recovery_time_seconds: defineCollector({
    help: 'Failed deployment recovery time: first failure signal to service restored.',
    type: 'histogram',
    labels: ['service', 'environment'],
    buckets: doraBucketsSeconds,
    collect: ({ delivery }) =>
      delivery.flatMap(({ service, environment, recoveries }) =>
        recoveries.map((value) => ({ labels: { service, environment }, value })),
      ),
  }),
  candor_rollbacks_total: defineCollector({
    help: 'Finished rollbacks by result.',
    type: 'counter',
    labels: ['result'],
    collect: ({ delivery }) => [
      { labels: { result: 'success' }, value: delivery.reduce((n, s) => n + s.rollbacksOk, 0) },
      { labels: { result: 'failure' }, value: delivery.reduce((n, s) => n + s.rollbacksFailed, 0) },
    ],
  }),
  candor_flake_rate: defineCollector({
    help: 'Flaky executions / all test executions over the last 14 days (present when test reports exist).',
    type: 'gauge',
    labels: ['window'],
    collect: ({ flake }) =>
      flake === undefined || flake.rate === null
        ? []
        : [{ labels: { window: flake.window }, value: flake.rate }],
  }),
  candor_flaky_tests: defineCollector({
    help: 'Tests classified flaky over the last 14 days (present when test reports exist).',
    type: 'gauge',
    labels: ['window'],
    collect: ({ flake }) =>
      flake === undefined ? [] : [{ labels: { window: flake.window }, value: flake.flakyTests }],
  }),
  candor_canary_verdict: defineCollector({
    help: 'Latest final canary verdict per service: 1 promote, 0 inconclusive, -1 rollback.',
    type: 'gauge',
    labels: ['service', 'environment'],
    collect: ({ canaries = [] }) =>
      canaries.map(({ service, environment, verdict }) => ({
        labels: { service, environment: environment ?? '' },
        value: verdict === 'promote' ? 1 : verdict === 'rollback' ? -1 : 0,
      })),
  }),
} satisfies Record<string, MetricCollector>;
