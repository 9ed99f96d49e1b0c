import {
  computeDora,
  computeDoraSamples,
  type DoraReport,
  type LedgerEvent,
} from '../core/compute-dora.ts';
import type { DeliveryEventType } from '../core/delivery-event.ts';
import { findDeliveryEvents } from '../store/delivery-event.repository.ts';
import type { Store } from '../store/open-store.ts';
import type { DeliveryEventTable } from '../store/schema.ts';

/** How far before the window commits and earlier deployments are read, to find each change. */
const lookbackMs = 90 * 86_400_000;
/** Before the window, everything is read for this long; further back only what links a change. */
const slackMs = 7 * 86_400_000;
/** Older events that can still matter: commit times, the previous deployment, policy, open incidents. */
const lookbackTypes = [
  'commit_created',
  'deploy_started',
  'canary_started',
  'policy_passed',
  'incident_opened',
  'incident_resolved',
];

export type DoraQuery = {
  now: Date;
  windowMs: number;
  environment: string;
  incidentWindowMs: number;
  service?: string | undefined;
  team?: string | undefined;
};

/** DORA and pipeline-quality metrics for the window ending now (DEFINITIONS.md). */
export async function buildDoraReport(store: Store, query: DoraQuery): Promise<DoraReport> {
  const to = query.now.getTime();
  const from = to - query.windowMs;
  const rows = [
    ...(await findDeliveryEvents(store.db, {
      from: new Date(from - lookbackMs).toISOString(),
      to: new Date(from - slackMs).toISOString(),
      service: query.service,
      types: lookbackTypes,
    })),
    ...(await findDeliveryEvents(store.db, {
      from: new Date(from - slackMs).toISOString(),
      to: new Date(to + query.incidentWindowMs + 1).toISOString(),
      service: query.service,
    })),
  ];
  const events = rows.map(toLedgerEvent);
  return computeDora(events, {
    from,
    to,
    environment: query.environment,
    incidentWindowMs: query.incidentWindowMs,
    service: query.service,
    team: query.team,
  });
}

/** A stored event as the metrics read it. */
export function toLedgerEvent(r: DeliveryEventTable): LedgerEvent {
  return {
    type: r.type as DeliveryEventType,
    at: Date.parse(r.occurred_at),
    service: r.service,
    environment: r.environment,
    commit: r.commit_sha,
    commits: r.commits === null ? null : (JSON.parse(r.commits) as string[]),
    deployment: r.deployment,
    incident: r.incident,
    result: r.result === 'success' || r.result === 'failure' ? r.result : null,
    attributes:
      r.attributes === null ? null : (JSON.parse(r.attributes) as Record<string, unknown>),
  };
}

export type ServiceDeliverySnapshot = {
  service: string;
  environment: string;
  report: DoraReport;
  leadTimes: number[];
  recoveries: number[];
  rollbacksOk: number;
  rollbacksFailed: number;
};

/** Lifetime values per service in production, replayed from the whole ledger (for /metrics). */
export async function buildDeliverySnapshot(
  store: Store,
  now: Date,
): Promise<ServiceDeliverySnapshot[]> {
  const rows = await findDeliveryEvents(store.db, {
    from: '0000-01-01T00:00:00.000Z',
    to: new Date(now.getTime() + 1).toISOString(),
  });
  const byService = new Map<string, LedgerEvent[]>();
  for (const row of rows) {
    const list = byService.get(row.service) ?? [];
    list.push(toLedgerEvent(row));
    byService.set(row.service, list);
  }
  return [...byService].map(([service, events]) => {
    const { report, leadTimes, recoveries } = computeDoraSamples(events, {
      from: 0,
      to: now.getTime(),
      environment: 'production',
      incidentWindowMs: 86_400_000,
    });
    const finished = events.filter((e) => e.type === 'rollback_finished');
    return {
      service,
      environment: 'production',
      report,
      leadTimes,
      recoveries,
      rollbacksOk: finished.filter((e) => e.result !== 'failure').length,
      rollbacksFailed: finished.filter((e) => e.result === 'failure').length,
    };
  });
}
