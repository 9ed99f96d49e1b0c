import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeDora,
  type DoraReport,
  type LedgerEvent,
} from '../../core/delivery/dora/compute-dora.ts';
import { compareText } from '../../core/lib/compare-text.ts';
import {
  deliveryLedgerStart,
  generateAttributedDeliveryLedger,
  generateDeliveryLedger,
  shuffle,
} from '../../testing/generate-delivery-ledger.ts';
import { referenceComputeDora } from '../../testing/reference-compute-dora.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { buildDoraReport, buildDoraReports, buildDoraSeries } from './build-dora-report.ts';
import {
  clearDoraProjections,
  isDoraProjectionReady,
  setDoraProjectionReady,
} from '../../store/repositories/delivery/dora-projection.repository.ts';
import { rebuildDeliveryProjections } from './project-delivery-events.ts';
import { recordEvents } from './record-events.ts';

/** A generated ledger as the metrics read it (attributes included when it has them). */
function asLedgerEvents(
  ledger: readonly (ReturnType<typeof generateDeliveryLedger>[number] & {
    attributes?: Record<string, unknown>;
  })[],
): LedgerEvent[] {
  return ledger.map((e) => ({
    type: e.type,
    at: Date.parse(e.occurredAt),
    service: e.service,
    environment: e.environment ?? null,
    commit: e.commit ?? null,
    commits: e.commits ?? null,
    deployment: e.deployment ?? null,
    incident: e.incident ?? null,
    result: (e.result ?? null) as LedgerEvent['result'],
    attributes: e.attributes ?? null,
  }));
}

/** A report with its incident links by incident (the reference lists one instant's in replay order). */
function byIncident(r: DoraReport): DoraReport {
  return {
    ...r,
    incidentLinks: [...r.incidentLinks].sort(
      (a, b) => compareText(a.incident, b.incident) || compareText(a.deployment, b.deployment),
    ),
  };
}

// DEFINITIONS.md's worked example, sent as events (ids make re-sending a no-op).
const T0 = Date.parse('2026-11-01T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const p = { environment: 'production' };
const example = [
  ['commit_created', 0, { commit: 'c1' }],
  ['commit_created', 1, { commit: 'c2' }],
  ['commit_created', 2, { commit: 'c3' }],
  ['policy_passed', 2.5, { commit: 'c2' }],
  ['deploy_started', 3, { ...p, commit: 'c2', deployment: 'd1' }],
  ['deploy_finished', 3.5, { ...p, commit: 'c2', deployment: 'd1', result: 'success' }],
  ['canary_started', 5, { ...p, commit: 'c3', deployment: 'd2' }],
  ['canary_promoted', 6, { ...p, commit: 'c3', deployment: 'd2' }],
  ['incident_opened', 7, { incident: 'i1' }],
  ['incident_resolved', 9, { incident: 'i1' }],
  ['commit_created', 10, { commit: 'c4' }],
  ['deploy_started', 11, { ...p, commit: 'c4', deployment: 'd3' }],
  ['rollback_triggered', 11.5, { ...p, deployment: 'd3' }],
  ['rollback_finished', 12, { ...p, deployment: 'd3', result: 'success' }],
  ['policy_failed', 13, { commit: 'c5' }],
  ['deploy_started', 14, { ...p, commit: 'c5', deployment: 'd4' }],
  ['deploy_finished', 14.5, { ...p, commit: 'c5', deployment: 'd4', result: 'success' }],
  ['incident_opened', 16, { incident: 'orphan', service: 'billing' }],
].map(([type, hours, fields], i) => ({
  type,
  id: `e${i}`,
  source: 'example',
  occurredAt: at(hours as number),
  service: 'api',
  ...(fields as object),
}));

describe.each(testDialects)('buildDoraReport on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    // Out of order, and twice.
    await recordEvents(
      store,
      [...example].reverse().map((value) => ({ value })),
      { receivedAt: at(30), atomic: true },
    );
    await recordEvents(
      store,
      example.map((value) => ({ value })),
      { receivedAt: at(31), atomic: true },
    );
  });
  afterAll(async () => {
    await store.drop();
  });

  const query = {
    now: new Date(at(24)),
    windowMs: 86_400_000,
    environment: 'production',
    incidentWindowMs: 86_400_000,
  };

  it('computes the worked example of DEFINITIONS.md from the stored ledger', async () => {
    const report = await buildDoraReport(store, query);
    expect(report).toMatchObject({
      deployments: 4,
      changeFailureRate: 0.5,
      leadTimeSeconds: { median: 13_500, p90: 14_220, mean: 13_500, count: 2 },
      recoveryTimeSeconds: { median: 4_500, p90: 6_660, mean: 4_500, count: 2 },
      timeToDetectSeconds: { median: 4_500, count: 2 },
      rollbackSuccessRate: 1,
      falsePositiveRate: 1,
      falseNegativeRate: 0,
      reworkRate: 0,
      incidentLinks: [{ incident: 'i1', deployment: 'd2', link: 'inferred' }],
    });
  });

  it('agrees with the pure computation over the same events', async () => {
    const report = await buildDoraReport(store, { ...query, service: 'api' });
    const pure = computeDora(
      example
        .filter((e) => e.service === 'api')
        .map((e) => ({
          type: e.type as never,
          at: Date.parse(e.occurredAt),
          service: e.service,
          environment: (e as { environment?: string }).environment ?? null,
          commit: (e as { commit?: string }).commit ?? null,
          commits: null,
          deployment: (e as { deployment?: string }).deployment ?? null,
          incident: (e as { incident?: string }).incident ?? null,
          result: ((e as { result?: string }).result ?? null) as never,
          attributes: null,
        })),
      {
        from: T0,
        to: Date.parse(at(24)),
        environment: 'production',
        incidentWindowMs: 86_400_000,
        service: 'api',
      },
    );
    expect(report).toEqual(pure);
  });

  it('gives nulls, not zeros, for a service with no deployments', async () => {
    expect(await buildDoraReport(store, { ...query, service: 'billing' })).toMatchObject({
      deployments: 0,
      changeFailureRate: null,
      rollbackSuccessRate: null,
      leadTimeSeconds: { count: 0, median: null },
      incidentLinks: [],
    });
  });
});

describe.each(testDialects)('buildDoraReport against the reference replay on %s', (dialect) => {
  // A messy generated ledger (services, shared commits, staging, late and orphan events), stored
  // shuffled in batches: the report read from the store must be the whole-ledger replay's.
  const ledger = generateDeliveryLedger(11, 800);
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    const shuffled = shuffle(ledger, 3);
    for (let i = 0; i < shuffled.length; i += 200)
      await recordEvents(
        store,
        shuffled.slice(i, i + 200).map((value) => ({ value })),
        { receivedAt: new Date(deliveryLedgerStart + 80 * 3_600_000).toISOString(), atomic: true },
      );
  });
  afterAll(async () => {
    await store.drop();
  });

  const ledgerEvents = asLedgerEvents(ledger);

  it.each([
    ['the whole ledger', 72, 72, undefined],
    ['the middle day', 48, 24, undefined],
    ['one service, the last 36 hours', 72, 36, 'web'],
  ] as const)('gives the reference report for %s', async (_, endHours, hours, service) => {
    const now = deliveryLedgerStart + endHours * 3_600_000;
    const windowMs = hours * 3_600_000;
    const report = await buildDoraReport(store, {
      now: new Date(now),
      windowMs,
      environment: 'production',
      incidentWindowMs: 86_400_000,
      service,
    });
    const reference = referenceComputeDora(ledgerEvents, {
      from: now - windowMs,
      to: now,
      environment: 'production',
      incidentWindowMs: 86_400_000,
      service,
    });
    expect(report.deployments).toBeGreaterThan(0);
    // The reference lists links of one instant in replay order; the report by incident name.
    expect(byIncident(report)).toEqual(byIncident(reference));
  });
});

// The dashboard reads a window, its previous window and its weeks in one pass per service: each
// report must be the whole-ledger reference's, on a messy ledger (services, staging, late events).
describe.each(testDialects)('buildDoraReports on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    await recordEvents(
      store,
      generateDeliveryLedger(11, 600).map((value) => ({ value })),
      { receivedAt: new Date(deliveryLedgerStart + 4 * 86_400_000).toISOString(), atomic: true },
    );
  });
  afterAll(async () => {
    await store.drop();
  });

  it('answers for each window what buildDoraReport answers for it alone', async () => {
    const hour = 3_600_000;
    const base = { environment: 'production', incidentWindowMs: 6 * hour };
    const queries = [
      { ...base, now: new Date(deliveryLedgerStart + 72 * hour), windowMs: 72 * hour },
      { ...base, now: new Date(deliveryLedgerStart + 36 * hour), windowMs: 36 * hour },
      { ...base, now: new Date(deliveryLedgerStart + 60 * hour), windowMs: 12 * hour },
      { ...base, now: new Date(deliveryLedgerStart + 72 * hour), windowMs: 24 * hour },
    ];
    const together = await buildDoraReports(store, queries);
    const alone = await Promise.all(queries.map((query) => buildDoraReport(store, query)));
    // Not vacuous: the windows differ, and they hold deployments and failures.
    expect(new Set(alone.map((r) => r.deployments)).size).toBeGreaterThan(1);
    expect(alone.some((r) => r.failedDeployments > 0)).toBe(true);
    expect(together).toEqual(alone);
  });
});

// Attributes too (teams, gate checklists and their failing conditions, rework marks), three
// services and environments, recorded shuffled: every field of the report read from the store is
// the independent reference's over the events the report reads (up to the incident window after
// its end), for windows, a service, a team, another environment, and each period of `--by week`.
describe.each(testDialects)(
  'buildDoraReport with attributes against the reference on %s',
  (dialect) => {
    const ledger = generateAttributedDeliveryLedger(23, 900);
    const hour = 3_600_000;
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      const shuffled = shuffle(ledger, 5);
      for (let i = 0; i < shuffled.length; i += 300)
        await recordEvents(
          store,
          shuffled.slice(i, i + 300).map((value) => ({ value })),
          { receivedAt: new Date(deliveryLedgerStart + 80 * hour).toISOString(), atomic: true },
        );
    });
    afterAll(async () => {
      await store.drop();
    });

    const events = asLedgerEvents(ledger);
    /** The reference over the whole ledger (a report reads all of it, DEFINITIONS.md "Window"). */
    const referenceOf = (options: Parameters<typeof referenceComputeDora>[1]) =>
      referenceComputeDora(events, options);

    it.each([
      ['the whole ledger', { end: 72, hours: 72 }],
      ['the second day, a 6 h incident window', { end: 48, hours: 24, incidentHours: 6 }],
      ['billing, the last 36 hours', { end: 72, hours: 36, service: 'billing' }],
      ['team core', { end: 72, hours: 72, team: 'core' }],
      ['team growth of api', { end: 60, hours: 48, team: 'growth', service: 'api' }],
      ['staging', { end: 72, hours: 72, environment: 'staging' }],
    ] as const)('gives the reference report for %s', async (_, w) => {
      const to = deliveryLedgerStart + w.end * hour;
      const options = {
        from: to - w.hours * hour,
        to,
        environment: 'environment' in w ? w.environment : 'production',
        incidentWindowMs: ('incidentHours' in w ? w.incidentHours : 24) * hour,
        service: 'service' in w ? w.service : undefined,
        team: 'team' in w ? w.team : undefined,
      };
      const report = await buildDoraReport(store, {
        now: new Date(to),
        windowMs: w.hours * hour,
        environment: options.environment,
        incidentWindowMs: options.incidentWindowMs,
        service: options.service,
        team: options.team,
      });
      const reference = referenceOf(options);
      // Not vacuous: deployments, failures and gate decisions are in every window.
      expect(reference.deployments).toBeGreaterThan(0);
      expect(reference.failedDeployments).toBeGreaterThan(0);
      expect(reference.gates.length).toBeGreaterThan(0);
      expect(byIncident(report)).toEqual(byIncident(reference));
    });

    it('reads only the headline numbers of a headline-only window, the same as the full report', async () => {
      const to = deliveryLedgerStart + 60 * hour;
      const query = {
        now: new Date(to),
        windowMs: 48 * hour,
        environment: 'production',
        incidentWindowMs: 24 * hour,
      };
      const [full, headline] = await buildDoraReports(store, [
        query,
        { ...query, headlineOnly: true },
      ]);
      if (full === undefined || headline === undefined) throw new Error('two reports');
      // Not vacuous: the full report has stage latency and gates to leave out.
      expect(full.stageLatency.length).toBeGreaterThan(0);
      expect(full.gates.length).toBeGreaterThan(0);
      expect(full.failedDeployments).toBeGreaterThan(0);
      const headlineOf = (r: typeof full) => ({
        window: r.window,
        deployments: r.deployments,
        deploymentFrequencyPerDay: r.deploymentFrequencyPerDay,
        changeFailureRate: r.changeFailureRate,
        failedDeployments: r.failedDeployments,
        leadTimeSeconds: r.leadTimeSeconds,
        recoveryTimeSeconds: r.recoveryTimeSeconds,
        unrecoveredFailures: r.unrecoveredFailures,
        reworkRate: r.reworkRate,
        incidentLinks: r.incidentLinks,
      });
      expect(headlineOf(headline)).toEqual(headlineOf(full));
      // From the projections, what a headline-only window leaves out is empty.
      expect(await isDoraProjectionReady(store.db)).toBe(true);
      expect(headline.stageLatency).toEqual([]);
      expect(headline.gates).toEqual([]);
    });

    it('gives the reference report for each week of the series', async () => {
      const to = deliveryLedgerStart + 72 * hour;
      const query = {
        now: new Date(to),
        windowMs: 72 * hour,
        environment: 'production',
        incidentWindowMs: 24 * hour,
        by: 'week' as const,
      };
      const series = await buildDoraSeries(store, query);
      const base = { environment: 'production', incidentWindowMs: 24 * hour };
      // 2026-11-01 is a Sunday: a one-day week, then the next one clipped to the window.
      expect(series.series.map((p) => p.window.from)).toEqual([
        '2026-11-01T00:00:00.000Z',
        '2026-11-02T00:00:00.000Z',
      ]);
      for (const period of series.series) {
        const reference = referenceOf({
          ...base,
          from: Date.parse(period.window.from),
          to: Date.parse(period.window.to),
        });
        expect(period).toEqual({
          window: reference.window,
          deployments: reference.deployments,
          deploymentFrequencyPerDay: reference.deploymentFrequencyPerDay,
          changeFailureRate: reference.changeFailureRate,
          failedDeployments: reference.failedDeployments,
          leadTimeSeconds: reference.leadTimeSeconds,
          recoveryTimeSeconds: reference.recoveryTimeSeconds,
          unrecoveredFailures: reference.unrecoveredFailures,
          reworkRate: reference.reworkRate,
        });
      }
      const { by, series: periods, ...report } = series;
      expect(periods).toHaveLength(2);
      expect(by).toBe('week');
      expect(byIncident(report)).toEqual(
        byIncident(referenceOf({ ...base, from: to - 72 * hour, to })),
      );
    });
  },
);

// The projections are kept event by event: the worst arrival order (newest first, one event per
// batch) must leave them as a rebuild from the ledger does, and both must give the reference.
describe.each(testDialects)('the DORA projections on %s', (dialect) => {
  const ledger = generateAttributedDeliveryLedger(31, 160);
  const hour = 3_600_000;
  const events = asLedgerEvents(ledger);
  const to = deliveryLedgerStart + 60 * hour;
  const query = {
    now: new Date(to),
    windowMs: 48 * hour,
    environment: 'production',
    incidentWindowMs: 12 * hour,
  };
  const reference = referenceComputeDora(events, {
    from: to - query.windowMs,
    to,
    environment: 'production',
    incidentWindowMs: query.incidentWindowMs,
  });
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    const newestFirst = [...ledger].sort((a, b) => compareText(b.occurredAt, a.occurredAt));
    for (const value of newestFirst)
      await recordEvents(store, [{ value }], {
        receivedAt: new Date(deliveryLedgerStart + 80 * hour).toISOString(),
        atomic: true,
      });
  });
  afterAll(async () => {
    await store.drop();
  });

  it('gives the reference report when every event came newest first, one at a time', async () => {
    expect(await isDoraProjectionReady(store.db)).toBe(true);
    expect(reference.deployments).toBeGreaterThan(0);
    expect(reference.leadTimeSeconds.count).toBeGreaterThan(0);
    expect(reference.failedDeployments).toBeGreaterThan(0);
    expect(byIncident(await buildDoraReport(store, query))).toEqual(byIncident(reference));
  });

  it('replays the ledger while the projections wait for a rebuild, and answers the same after it', async () => {
    await store.db.transaction().execute(async (trx) => {
      await clearDoraProjections(trx);
      await setDoraProjectionReady(trx, false);
    });
    expect(byIncident(await buildDoraReport(store, query))).toEqual(byIncident(reference));
    await rebuildDeliveryProjections(store);
    expect(await isDoraProjectionReady(store.db)).toBe(true);
    const [deployments] = await store.db
      .selectFrom('dora_deployments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .execute();
    expect(Number(deployments?.n)).toBeGreaterThan(0);
    expect(byIncident(await buildDoraReport(store, query))).toEqual(byIncident(reference));
  });
});
