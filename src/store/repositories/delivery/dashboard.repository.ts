import type { Db } from '../../tables/database.ts';
import type { DeliveryEventTable } from '../../tables/delivery-event.table.ts';

/** A deployment as the dashboard lists it (the projection's row, times in epoch ms). */
export type RecentDeploymentRow = {
  service: string;
  environment: string;
  deployment: string;
  startAt: number | null;
  finishedAt: number | null;
  result: string | null;
  failed: boolean;
  leadSeconds: number | null;
  commit: string | null;
  rollbacks: number;
};

const num = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

/**
 * The deployments of `environment` (and `service`) that started in from <= start < to (epoch
 * ms), newest first, at most `limit`, from the projection `delivery_deployments`.
 */
export async function listRecentDeployments(
  db: Db,
  options: {
    environment: string;
    service?: string | undefined;
    from: number;
    to: number;
    limit: number;
  },
): Promise<RecentDeploymentRow[]> {
  let query = db
    .selectFrom('delivery_deployments')
    .selectAll()
    .where('environment', '=', options.environment)
    .where('start_at', '>=', options.from)
    .where('start_at', '<', options.to)
    .orderBy('start_at', 'desc')
    .orderBy('deployment', 'desc')
    .limit(options.limit);
  if (options.service !== undefined) query = query.where('service', '=', options.service);
  const rows = await query.execute();
  return rows.map((row) => ({
    service: row.service,
    environment: row.environment,
    deployment: row.deployment,
    startAt: num(row.start_at),
    finishedAt: num(row.finished_at),
    result: row.measured_result,
    failed: Number(row.measured_failed) === 1,
    leadSeconds: num(row.measured_lead_seconds),
    commit: row.commit_sha,
    rollbacks: Number(row.rollbacks_triggered),
  }));
}

/** The incidents linked to each of these deployments of a service (`target`), by deployment. */
export async function findIncidentsOfDeployments(
  db: Db,
  service: string,
  deployments: readonly string[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (deployments.length === 0) return found;
  const rows = await db
    .selectFrom('delivery_incidents')
    .select(['target', 'incident', 'id'])
    .where('service', '=', service)
    .where('target', 'in', [...deployments])
    .execute();
  for (const row of rows) {
    if (row.target === null) continue;
    const list = found.get(row.target) ?? [];
    list.push(row.incident ?? row.id);
    found.set(row.target, list);
  }
  return found;
}

/** A ledger event as a timeline shows it. */
export type TimelineEventRow = {
  source: string;
  id: string;
  type: string;
  occurredAt: string;
  environment: string | null;
  deployment: string | null;
  commit: string | null;
  incident: string | null;
  result: string | null;
};

const toTimelineRow = (row: DeliveryEventTable): TimelineEventRow => ({
  source: row.source,
  id: row.id,
  type: row.type,
  occurredAt: row.occurred_at,
  environment: row.environment,
  deployment: row.deployment,
  commit: row.commit_sha,
  incident: row.incident,
  result: row.result,
});

/**
 * The events of a service that name one of these deployments, commits or incidents, oldest
 * first (at most `limit`).
 */
export async function findEventsOfDeployment(
  db: Db,
  options: {
    service: string;
    deployments: readonly string[];
    commits: readonly string[];
    incidents: readonly string[];
    limit: number;
  },
): Promise<TimelineEventRow[]> {
  const rows = await db
    .selectFrom('delivery_events')
    .selectAll()
    .where('service', '=', options.service)
    .where((eb) =>
      eb.or([
        ...(options.deployments.length > 0
          ? [eb('deployment', 'in', [...options.deployments])]
          : []),
        ...(options.commits.length > 0 ? [eb('commit_sha', 'in', [...options.commits])] : []),
        ...(options.incidents.length > 0 ? [eb('incident', 'in', [...options.incidents])] : []),
      ]),
    )
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(options.limit)
    .execute();
  return rows.map(toTimelineRow);
}
