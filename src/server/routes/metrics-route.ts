import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  buildDeliverySnapshot,
  type ServiceDeliverySnapshot,
} from '../../app/delivery/build-dora-report.ts';
import { analyzeFlakyTests } from '../../app/flaky/build-flaky-report.ts';
import { fingerprintStore } from '../../app/delivery/fingerprint-store.ts';
import type { Store } from '../../store/open-store.ts';

/** Bucket edges at 1 h, 1 d, 1 w, 30 d and 180 d (the DORA bands), with finer steps below an hour. */
export const doraBucketsSeconds = [
  60, 300, 900, 1_800, 3_600, 14_400, 86_400, 259_200, 604_800, 2_592_000, 15_552_000,
];

/**
 * GET /metrics: Prometheus text, computed from the ledger at each scrape (so a restart loses
 * nothing), per service and environment; no per-commit or per-deployment labels.
 */
export async function metricsRoute(
  app: FastifyInstance,
  options: { store: Store; now: () => Date },
) {
  const registry = new Registry();
  let snapshot: ServiceDeliverySnapshot[] = [];
  const deployments = new Counter({
    name: 'candor_deployments_total',
    help: 'Production deployments by result (failure: canary failed, rolled back, or an incident within 24 h).',
    labelNames: ['service', 'environment', 'result'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of snapshot) {
        this.inc(
          { service: s.service, environment: s.environment, result: 'success' },
          s.report.deployments - s.report.failedDeployments,
        );
        this.inc(
          { service: s.service, environment: s.environment, result: 'failure' },
          s.report.failedDeployments,
        );
      }
    },
  });
  const failures = new Counter({
    name: 'candor_change_failures_total',
    help: 'Production deployments that failed.',
    labelNames: ['service', 'environment'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of snapshot)
        this.inc({ service: s.service, environment: s.environment }, s.report.failedDeployments);
    },
  });
  const leadTime = new Histogram({
    name: 'candor_lead_time_seconds',
    help: 'Lead time for changes: first commit of a change to its production deployment.',
    labelNames: ['service', 'environment'],
    buckets: doraBucketsSeconds,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of snapshot)
        for (const v of s.leadTimes)
          this.observe({ service: s.service, environment: s.environment }, v);
    },
  });
  const recovery = new Histogram({
    name: 'candor_recovery_time_seconds',
    help: 'Failed deployment recovery time: first failure signal to service restored.',
    labelNames: ['service', 'environment'],
    buckets: doraBucketsSeconds,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of snapshot)
        for (const v of s.recoveries)
          this.observe({ service: s.service, environment: s.environment }, v);
    },
  });
  const rollbacks = new Counter({
    name: 'candor_rollbacks_total',
    help: 'Finished rollbacks by result.',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc(
        { result: 'success' },
        snapshot.reduce((n, s) => n + s.rollbacksOk, 0),
      );
      this.inc(
        { result: 'failure' },
        snapshot.reduce((n, s) => n + s.rollbacksFailed, 0),
      );
    },
  });
  let flake: { rate: number | null; flakyTests: number; testsSeen: number } | undefined;
  const flakeRate = new Gauge({
    name: 'candor_flake_rate',
    help: 'Flaky executions / all test executions over the last 14 days (present when test reports exist).',
    labelNames: ['window'],
    registers: [registry],
    collect() {
      this.reset();
      if (flake !== undefined && flake.rate !== null) this.set({ window: '14d' }, flake.rate);
    },
  });
  const flakyTests = new Gauge({
    name: 'candor_flaky_tests',
    help: 'Tests classified flaky over the last 14 days (present when test reports exist).',
    labelNames: ['window'],
    registers: [registry],
    collect() {
      this.reset();
      if (flake !== undefined) this.set({ window: '14d' }, flake.flakyTests);
    },
  });
  void [deployments, failures, leadTime, recovery, rollbacks, flakeRate, flakyTests];

  // One computation at a time, shared by concurrent scrapes, and reused until the store changes
  // (or the hour turns, which moves the flaky window): a scrape never replays the ledger twice.
  let inFlight: Promise<string> | undefined;
  let cached: { key: string; text: string } | undefined;
  const render = async (): Promise<string> => {
    const now = options.now();
    const key = `${await fingerprintStore(options.store)}@${now.toISOString().slice(0, 13)}`;
    if (cached?.key === key) return cached.text;
    snapshot = await buildDeliverySnapshot(options.store, now);
    const report = await analyzeFlakyTests(options.store, {
      now,
      windowMs: 14 * 86_400_000,
      defaultBranch: 'main',
      maxBudget: 0.005,
      ownersOf: () => [],
    });
    flake =
      report.budget.testsSeen === 0
        ? undefined
        : {
            rate: report.budget.rate,
            flakyTests: report.counts.flaky,
            testsSeen: report.budget.testsSeen,
          };
    const text = await registry.metrics();
    cached = { key, text };
    return text;
  };

  app.get('/metrics', async (_request, reply) => {
    inFlight ??= render().finally(() => {
      inFlight = undefined;
    });
    return reply.type(registry.contentType).send(await inFlight);
  });
}
