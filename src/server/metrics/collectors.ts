import { defineCollector, type MetricCollector } from './metric-collector.ts';

import { deliveryBucketsSeconds } from '../../core/delivery/projections/measure-deployment.ts';

/**
 * Bucket edges, in seconds: 1 min, 5 min, 15 min, 30 min, then 1 h, 4 h, 1 d, 3 d, 1 w, 30 d and
 * 180 d (the DORA bands are at 1 h, 1 d, 1 w, 30 d and 180 d).
 */
export const doraBucketsSeconds = deliveryBucketsSeconds;

/** The labels every delivery series carries. */
const deliveryLabels = ['service', 'environment'] as const;

/**
 * Every metric of `/metrics` (DEFINITIONS.md "Prometheus"), in the order it is written: adding a
 * metric is one entry. No per-commit or per-deployment labels. The delivery series come from
 * totals kept at ingest: a label never changes once a series has counted something (a
 * deployment's `result` is its first `deploy_finished`'s; failures have their own counter).
 */
export const collectors = {
  candor_deployments_total: defineCollector({
    help: 'Deployments by the result of their first completion (canary_promoted: success; deploy_finished: its result), counted once completed.',
    type: 'counter',
    labels: [...deliveryLabels, 'result'],
    collect: ({ delivery }) =>
      delivery.flatMap(({ service, environment, deployments }) => [
        { labels: { service, environment, result: 'success' }, value: deployments.success },
        { labels: { service, environment, result: 'failure' }, value: deployments.failure },
      ]),
  }),
  candor_change_failures_total: defineCollector({
    help: 'Deployments that failed: a failure signal of their own, or a linked incident (DEFINITIONS.md).',
    type: 'counter',
    labels: deliveryLabels,
    collect: ({ delivery }) =>
      delivery.map(({ service, environment, changeFailures }) => ({
        labels: { service, environment },
        value: changeFailures,
      })),
  }),
  candor_lead_time_seconds: defineCollector({
    help: 'Lead time for changes: earliest commit of a deployment to deployed.',
    type: 'histogram',
    labels: deliveryLabels,
    buckets: doraBucketsSeconds,
    collect: ({ delivery }) =>
      delivery.map(({ service, environment, leadTime }) => ({
        labels: { service, environment },
        ...leadTime,
      })),
  }),
  candor_recovery_time_seconds: defineCollector({
    help: 'Failed deployment recovery time: first failure signal to service restored.',
    type: 'histogram',
    labels: deliveryLabels,
    buckets: doraBucketsSeconds,
    collect: ({ delivery }) =>
      delivery.map(({ service, environment, recoveryTime }) => ({
        labels: { service, environment },
        ...recoveryTime,
      })),
  }),
  candor_rollbacks_total: defineCollector({
    help: 'Finished rollbacks by result.',
    type: 'counter',
    labels: [...deliveryLabels, 'result'],
    collect: ({ delivery }) =>
      delivery.flatMap(({ service, environment, rollbacks }) => [
        { labels: { service, environment, result: 'success' }, value: rollbacks.success },
        { labels: { service, environment, result: 'failure' }, value: rollbacks.failure },
      ]),
  }),
  candor_flake_rate: defineCollector({
    help: 'Flaky executions (passed on retry, failed on a commit where the test also passed, failures of tests flaky by failure and flip rate) / all test executions over the last 14 days (present when test reports exist).',
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
