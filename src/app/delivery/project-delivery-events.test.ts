import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listProjectedDeployments,
  listProjectedIncidents,
  listTotals,
} from '../../store/repositories/delivery/delivery-projection.repository.ts';
import {
  deliveryLedgerStart,
  generateDeliveryLedger as generateLedger,
  shuffle,
} from '../../testing/generate-delivery-ledger.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { buildDoraReport, buildDoraSeries } from './build-dora-report.ts';
import { rebuildDeliveryProjections } from './project-delivery-events.ts';
import { recordEvents } from './record-events.ts';

const T0 = deliveryLedgerStart;

const receivedAt = new Date(T0 + 80 * 3_600_000).toISOString();

async function send(store: TestStore, events: readonly object[], batch: number) {
  for (let i = 0; i < events.length; i += batch)
    await recordEvents(
      store,
      events.slice(i, i + batch).map((value) => ({ value })),
      { receivedAt, atomic: true },
    );
}

async function projections(store: TestStore) {
  return {
    deployments: await listProjectedDeployments(store.db),
    incidents: await listProjectedIncidents(store.db),
    // A total back at 0 (a deployment moved out of it) is the same as no total.
    totals: (await listTotals(store.db))
      .map((t) => ({ ...t, value: Math.round(t.value * 1e6) }))
      .filter((t) => t.value !== 0),
  };
}

const query = {
  now: new Date(T0 + 72 * 3_600_000),
  windowMs: 3 * 86_400_000,
  environment: 'production',
  incidentWindowMs: 86_400_000,
};

describe.each(testDialects)('delivery projections on %s', (dialect) => {
  const ledger = generateLedger(7, 600);
  let inOrder: TestStore;
  let shuffled: TestStore;
  beforeAll(async () => {
    inOrder = await openTestStore(dialect);
    shuffled = await openTestStore(dialect);
    const byTime = [...ledger].sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1));
    await send(inOrder, byTime, 50);
    // Shuffled, in batches of other sizes, and part of it twice.
    await send(shuffled, shuffle(ledger, 99), 37);
    await send(shuffled, shuffle(ledger, 5).slice(0, 100), 100);
  });
  afterAll(async () => {
    await inOrder.drop();
    await shuffled.drop();
  });

  it('holds the same projections and the same candor dora whatever the arrival order', async () => {
    const expected = await projections(inOrder);
    // Not vacuous: links of both kinds, failures, lead and recovery times, rollbacks.
    expect(expected.incidents.some((i) => i.link === 'inferred')).toBe(true);
    expect(expected.incidents.some((i) => i.link === 'explicit')).toBe(true);
    const metrics = new Set(expected.totals.map((t) => t.metric));
    expect([...metrics].sort()).toEqual([
      'change_failures',
      'deployments',
      'lead_time',
      'recovery_time',
      'rollbacks',
    ]);
    expect(await projections(shuffled)).toEqual(expected);
    expect(await buildDoraReport(shuffled, query)).toEqual(await buildDoraReport(inOrder, query));
    expect(await buildDoraSeries(shuffled, { ...query, by: 'week' })).toEqual(
      await buildDoraSeries(inOrder, { ...query, by: 'week' }),
    );
  });

  it('keeps totals equal to the sum of what each deployment adds', async () => {
    const { deployments, totals } = await projections(inOrder);
    const total = (metric: string, label: string) =>
      totals
        .filter((t) => t.metric === metric && t.label === label)
        .reduce((n, t) => n + t.value, 0) / 1e6;
    for (const result of ['success', 'failure'])
      expect(total('deployments', result)).toBe(
        deployments.filter((d) => d.measure.result === result).length,
      );
    expect(total('change_failures', '')).toBe(deployments.filter((d) => d.measure.failed).length);
    const leadSum = deployments.reduce((n, d) => n + (d.measure.leadSeconds ?? 0), 0);
    expect(total('lead_time', 'sum')).toBeCloseTo(leadSum, 3);
  });

  it('rebuilds the same projections from the ledger', async () => {
    const before = await projections(shuffled);
    expect(await rebuildDeliveryProjections(shuffled)).toEqual({ events: ledger.length });
    expect(await projections(shuffled)).toEqual(before);
  });
});

describe.each(testDialects)('delivery projections of a batch of many services on %s', (dialect) => {
  // 250 services in one batch: each look-up is split over several statements (100 services a
  // statement at most), and every service must still find its own rows.
  const services = Array.from({ length: 250 }, (_, i) => `svc-${i}`);
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
  const events = services.flatMap((service, i) => [
    { type: 'commit_created', id: `${service}-c`, occurredAt: at(0), service, commit: 'c1' },
    {
      type: 'deploy_started',
      id: `${service}-s`,
      occurredAt: at(10),
      service,
      commit: 'c1',
      deployment: 'd1',
      environment: 'production',
    },
    {
      type: 'deploy_finished',
      id: `${service}-f`,
      occurredAt: at(10 + i),
      service,
      commit: 'c1',
      deployment: 'd1',
      environment: 'production',
      result: 'success',
    },
    // Names the deployment: an explicit link, found among all services at once.
    {
      type: 'incident_opened',
      id: `${service}-i`,
      occurredAt: at(300),
      service,
      incident: 'i1',
      deployment: 'd1',
    },
    { type: 'incident_resolved', id: `${service}-r`, occurredAt: at(360), service, incident: 'i1' },
  ]);
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    await send(store, shuffle(events, 1), events.length);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('measures every deployment from its own service', async () => {
    const deployments = await listProjectedDeployments(store.db);
    expect(deployments).toHaveLength(services.length);
    for (const d of deployments) {
      const i = Number(d.facts.service.slice('svc-'.length));
      // Lead time from its own commit time; failed by its own incident, recovered at its resolution.
      expect(d.measure).toEqual({
        result: 'success',
        failed: true,
        leadSeconds: (10 + i) * 60,
        recoverySeconds: 3_600,
      });
    }
    const incidents = await listProjectedIncidents(store.db);
    expect(incidents.filter((i) => i.target === 'd1' && i.link === 'explicit')).toHaveLength(
      services.length,
    );
  });
});
