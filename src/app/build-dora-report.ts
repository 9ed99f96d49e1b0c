import { computeDora, type DoraReport, type LedgerEvent } from '../core/compute-dora.ts';
import type { DeliveryEventType } from '../core/delivery-event.ts';
import { findDeliveryEvents } from '../store/delivery-event.repository.ts';
import type { Store } from '../store/open-store.ts';

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
  const events: LedgerEvent[] = rows.map((r) => ({
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
  }));
  return computeDora(events, {
    from,
    to,
    environment: query.environment,
    incidentWindowMs: query.incidentWindowMs,
    service: query.service,
    team: query.team,
  });
}
