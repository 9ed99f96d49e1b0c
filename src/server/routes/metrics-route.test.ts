import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { buildServer } from '../build-server.ts';

const now = new Date('2026-11-20T12:00:00.000Z');
const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000).toISOString();
const api = { service: 'api', source: 'pin', environment: 'production' };
const web = { service: 'web', source: 'pin', environment: 'production' };

/**
 * Two services. api: d1 fine (lead 2 h), d2 rolled back (recovered after 30 min), d3 whose
 * rollback failed and whose canary failed (unrecovered), and a staging deployment that never
 * completes (no series). web: w1 promoted (lead 1,500.12 s), w2 failed by an inferred incident
 * resolved 3 h later. d2, d3 and w2 never complete: change failures, not deployment results.
 * docs: a commit and no deployment (no series).
 */
const events = [
  { ...api, type: 'commit_created', id: 'a1', occurredAt: at(10), commit: 'c1' },
  { ...api, type: 'deploy_started', id: 'a2', occurredAt: at(9), commit: 'c1', deployment: 'd1' },
  {
    ...api,
    type: 'deploy_finished',
    id: 'a3',
    occurredAt: at(8),
    deployment: 'd1',
    result: 'success',
  },
  { ...api, type: 'commit_created', id: 'a4', occurredAt: at(6), commit: 'c2' },
  { ...api, type: 'deploy_started', id: 'a5', occurredAt: at(5), commit: 'c2', deployment: 'd2' },
  { ...api, type: 'rollback_triggered', id: 'a6', occurredAt: at(4.5), deployment: 'd2' },
  {
    ...api,
    type: 'rollback_finished',
    id: 'a7',
    occurredAt: at(4),
    deployment: 'd2',
    result: 'success',
  },
  { ...api, type: 'canary_started', id: 'a8', occurredAt: at(3), commit: 'c3', deployment: 'd3' },
  { ...api, type: 'canary_failed', id: 'a9', occurredAt: at(2.5), deployment: 'd3' },
  {
    ...api,
    type: 'rollback_finished',
    id: 'a10',
    occurredAt: at(2),
    deployment: 'd3',
    result: 'failure',
  },
  {
    ...api,
    type: 'deploy_started',
    id: 'a11',
    occurredAt: at(1),
    environment: 'staging',
    deployment: 's1',
  },
  { ...web, type: 'commit_created', id: 'w1', occurredAt: at(30), commit: 'x1' },
  {
    ...web,
    type: 'deploy_started',
    id: 'w2',
    occurredAt: at(29.75),
    commit: 'x1',
    deployment: 'w1',
  },
  { ...web, type: 'canary_promoted', id: 'w3', occurredAt: at(29.5833), deployment: 'w1' },
  { ...web, type: 'deploy_started', id: 'w4', occurredAt: at(20), commit: 'x2', deployment: 'w2' },
  { ...web, type: 'incident_opened', id: 'w5', occurredAt: at(19), incident: 'INC-7' },
  { ...web, type: 'incident_resolved', id: 'w6', occurredAt: at(16), incident: 'INC-7' },
  {
    service: 'docs',
    source: 'pin',
    type: 'commit_created',
    id: 'o1',
    occurredAt: at(3),
    commit: 'z',
  },
];

/** One flaky test (failed, then passed on a rerun) among four: a flake rate of 1/4. */
const junit = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="PaymentTest" tests="4" failures="1">
  <testcase name="settles" classname="PaymentTest" time="0.5">
    <flakyFailure message="timeout" type="TimeoutException"/>
  </testcase>
  <testcase name="refunds" classname="PaymentTest" time="0.7">
    <failure message="expected 10 but was 9" type="AssertionFailedError"/>
  </testcase>
  <testcase name="crashes" classname="PaymentTest" time="0.1"/>
  <testcase name="authorises" classname="PaymentTest" time="0.2"/>
</testsuite>`;

/** The ledger part of a scrape of the events above: the same before and after test reports. */
const ledgerText = `# HELP candor_deployments_total Deployments by the result of their first completion (canary_promoted: success; deploy_finished: its result), counted once completed.
# TYPE candor_deployments_total counter
candor_deployments_total{service="api",environment="production",result="success"} 1
candor_deployments_total{service="api",environment="production",result="failure"} 0
candor_deployments_total{service="web",environment="production",result="success"} 1
candor_deployments_total{service="web",environment="production",result="failure"} 0

# HELP candor_change_failures_total Deployments that failed: a failure signal of their own, or a linked incident (DEFINITIONS.md).
# TYPE candor_change_failures_total counter
candor_change_failures_total{service="api",environment="production"} 2
candor_change_failures_total{service="web",environment="production"} 1

# HELP candor_lead_time_seconds Lead time for changes: earliest commit of a deployment to deployed.
# TYPE candor_lead_time_seconds histogram
candor_lead_time_seconds_bucket{le="60",service="api",environment="production"} 0
candor_lead_time_seconds_bucket{le="300",service="api",environment="production"} 0
candor_lead_time_seconds_bucket{le="900",service="api",environment="production"} 0
candor_lead_time_seconds_bucket{le="1800",service="api",environment="production"} 0
candor_lead_time_seconds_bucket{le="3600",service="api",environment="production"} 0
candor_lead_time_seconds_bucket{le="14400",service="api",environment="production"} 1
candor_lead_time_seconds_bucket{le="86400",service="api",environment="production"} 1
candor_lead_time_seconds_bucket{le="259200",service="api",environment="production"} 1
candor_lead_time_seconds_bucket{le="604800",service="api",environment="production"} 1
candor_lead_time_seconds_bucket{le="2592000",service="api",environment="production"} 1
candor_lead_time_seconds_bucket{le="15552000",service="api",environment="production"} 1
candor_lead_time_seconds_bucket{le="+Inf",service="api",environment="production"} 1
candor_lead_time_seconds_sum{service="api",environment="production"} 7200
candor_lead_time_seconds_count{service="api",environment="production"} 1
candor_lead_time_seconds_bucket{le="60",service="web",environment="production"} 0
candor_lead_time_seconds_bucket{le="300",service="web",environment="production"} 0
candor_lead_time_seconds_bucket{le="900",service="web",environment="production"} 0
candor_lead_time_seconds_bucket{le="1800",service="web",environment="production"} 1
candor_lead_time_seconds_bucket{le="3600",service="web",environment="production"} 1
candor_lead_time_seconds_bucket{le="14400",service="web",environment="production"} 1
candor_lead_time_seconds_bucket{le="86400",service="web",environment="production"} 1
candor_lead_time_seconds_bucket{le="259200",service="web",environment="production"} 1
candor_lead_time_seconds_bucket{le="604800",service="web",environment="production"} 1
candor_lead_time_seconds_bucket{le="2592000",service="web",environment="production"} 1
candor_lead_time_seconds_bucket{le="15552000",service="web",environment="production"} 1
candor_lead_time_seconds_bucket{le="+Inf",service="web",environment="production"} 1
candor_lead_time_seconds_sum{service="web",environment="production"} 1500.12
candor_lead_time_seconds_count{service="web",environment="production"} 1

# HELP candor_recovery_time_seconds Failed deployment recovery time: first failure signal to service restored.
# TYPE candor_recovery_time_seconds histogram
candor_recovery_time_seconds_bucket{le="60",service="api",environment="production"} 0
candor_recovery_time_seconds_bucket{le="300",service="api",environment="production"} 0
candor_recovery_time_seconds_bucket{le="900",service="api",environment="production"} 0
candor_recovery_time_seconds_bucket{le="1800",service="api",environment="production"} 1
candor_recovery_time_seconds_bucket{le="3600",service="api",environment="production"} 1
candor_recovery_time_seconds_bucket{le="14400",service="api",environment="production"} 1
candor_recovery_time_seconds_bucket{le="86400",service="api",environment="production"} 1
candor_recovery_time_seconds_bucket{le="259200",service="api",environment="production"} 1
candor_recovery_time_seconds_bucket{le="604800",service="api",environment="production"} 1
candor_recovery_time_seconds_bucket{le="2592000",service="api",environment="production"} 1
candor_recovery_time_seconds_bucket{le="15552000",service="api",environment="production"} 1
candor_recovery_time_seconds_bucket{le="+Inf",service="api",environment="production"} 1
candor_recovery_time_seconds_sum{service="api",environment="production"} 1800
candor_recovery_time_seconds_count{service="api",environment="production"} 1
candor_recovery_time_seconds_bucket{le="60",service="web",environment="production"} 0
candor_recovery_time_seconds_bucket{le="300",service="web",environment="production"} 0
candor_recovery_time_seconds_bucket{le="900",service="web",environment="production"} 0
candor_recovery_time_seconds_bucket{le="1800",service="web",environment="production"} 0
candor_recovery_time_seconds_bucket{le="3600",service="web",environment="production"} 0
candor_recovery_time_seconds_bucket{le="14400",service="web",environment="production"} 1
candor_recovery_time_seconds_bucket{le="86400",service="web",environment="production"} 1
candor_recovery_time_seconds_bucket{le="259200",service="web",environment="production"} 1
candor_recovery_time_seconds_bucket{le="604800",service="web",environment="production"} 1
candor_recovery_time_seconds_bucket{le="2592000",service="web",environment="production"} 1
candor_recovery_time_seconds_bucket{le="15552000",service="web",environment="production"} 1
candor_recovery_time_seconds_bucket{le="+Inf",service="web",environment="production"} 1
candor_recovery_time_seconds_sum{service="web",environment="production"} 10800
candor_recovery_time_seconds_count{service="web",environment="production"} 1

# HELP candor_rollbacks_total Finished rollbacks by result.
# TYPE candor_rollbacks_total counter
candor_rollbacks_total{service="api",environment="production",result="success"} 1
candor_rollbacks_total{service="api",environment="production",result="failure"} 1
candor_rollbacks_total{service="web",environment="production",result="success"} 0
candor_rollbacks_total{service="web",environment="production",result="failure"} 0

`;

/** The flake gauges before any test report: described, without a sample (absent, not zero). */
const noFlakeText = `# HELP candor_flake_rate Flaky executions (passed on retry, failed on a commit where the test also passed, failures of tests flaky by failure and flip rate) / all test executions over the last 14 days (present when test reports exist).
# TYPE candor_flake_rate gauge

# HELP candor_flaky_tests Tests classified flaky over the last 14 days (present when test reports exist).
# TYPE candor_flaky_tests gauge
`;

/** The flake gauges after the report above: 1 flaky execution of 4, 1 flaky test. */
const flakeText = `# HELP candor_flake_rate Flaky executions (passed on retry, failed on a commit where the test also passed, failures of tests flaky by failure and flip rate) / all test executions over the last 14 days (present when test reports exist).
# TYPE candor_flake_rate gauge
candor_flake_rate{window="14d"} 0.25

# HELP candor_flaky_tests Tests classified flaky over the last 14 days (present when test reports exist).
# TYPE candor_flaky_tests gauge
candor_flaky_tests{window="14d"} 1
`;

/** The canary gauge before any analysis: described, without a sample. */
const noCanaryText = `
# HELP candor_canary_verdict Latest final canary verdict per service: 1 promote, 0 inconclusive, -1 rollback.
# TYPE candor_canary_verdict gauge
`;

describe.each(testDialects)('GET /metrics on %s', (dialect) => {
  let store: TestStore;
  let app: FastifyInstance;
  let token: string;
  const scrape = async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    return response;
  };
  beforeAll(async () => {
    store = await openTestStore(dialect);
    app = await buildServer({ store, bodyLimitBytes: 1024 * 1024, logger: false, now: () => now });
    token = (
      await createApiToken(store, { name: 'admin', scopes: ['admin'], now: now.toISOString() })
    ).secret;
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}` },
      payload: events,
    });
    expect(response.statusCode).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('writes the ledger metrics as pinned, byte for byte, without flake samples', async () => {
    const response = await scrape();
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.body).toBe(ledgerText + noFlakeText + noCanaryText);
  });

  it('adds the flake samples once a test report exists, and changes nothing else', async () => {
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/test-reports?run=r1&repo=acme/api&commit=c3&branch=main',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
      payload: junit,
    });
    expect(posted.statusCode).toBe(201);
    expect((await scrape()).body).toBe(ledgerText + flakeText + noCanaryText);
  });
});
