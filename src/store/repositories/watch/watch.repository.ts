import type { WatchReport, WatchResult } from '../../../core/watch/evaluate-watch.ts';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../tables/database.ts';
import type { WatchTable } from '../../tables/watch.table.ts';

/** A watch of `candor serve` as the app sees it. */
export type WatchRecord = {
  id: string;
  service: string;
  environment: string;
  deployment: string;
  deployedAt: string;
  windowEnd: string;
  everyMs: number;
  createdAt: string;
  checkedAt: string | null;
  finishedAt: string | null;
  verdict: 'pending' | WatchResult;
  report: WatchReport | null;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  /** How many evaluations were saved. */
  evaluations: number;
};

function fromRow(row: Selectable<WatchTable>): WatchRecord {
  return {
    id: row.id,
    service: row.service,
    environment: row.environment,
    deployment: row.deployment,
    deployedAt: row.deployed_at,
    windowEnd: row.window_end,
    everyMs: Number(row.every_ms),
    createdAt: row.created_at,
    checkedAt: row.checked_at,
    finishedAt: row.finished_at,
    verdict: row.verdict,
    report: row.report === null ? null : (JSON.parse(row.report) as WatchReport),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    evaluations: Number(row.evaluations),
  };
}

/** Stores a new, pending watch nobody holds. */
export async function insertWatch(
  db: Db,
  watch: Pick<
    WatchRecord,
    | 'id'
    | 'service'
    | 'environment'
    | 'deployment'
    | 'deployedAt'
    | 'windowEnd'
    | 'everyMs'
    | 'createdAt'
  >,
): Promise<void> {
  await db
    .insertInto('watches')
    .values({
      id: watch.id,
      service: watch.service,
      environment: watch.environment,
      deployment: watch.deployment,
      deployed_at: watch.deployedAt,
      window_end: watch.windowEnd,
      every_ms: watch.everyMs,
      created_at: watch.createdAt,
      checked_at: null,
      finished_at: null,
      verdict: 'pending',
      report: null,
      lease_owner: null,
      lease_expires_at: null,
    })
    .execute();
}

export async function findWatch(db: Db, id: string): Promise<WatchRecord | undefined> {
  const row = await db.selectFrom('watches').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** The watch of this deployment of a service in an environment, if one was registered. */
export async function findWatchByDeployment(
  db: Db,
  key: { service: string; environment: string; deployment: string },
): Promise<WatchRecord | undefined> {
  const row = await db
    .selectFrom('watches')
    .selectAll()
    .where('service', '=', key.service)
    .where('environment', '=', key.environment)
    .where('deployment', '=', key.deployment)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/**
 * Watches, newest first (at most `limit`): of one service when given; `finished` false: the
 * unfinished ones (what the scheduler looks at), true: the finished ones.
 */
export async function listWatches(
  db: Db,
  filter: { service?: string | undefined; finished?: boolean | undefined; limit: number },
): Promise<WatchRecord[]> {
  let query = db.selectFrom('watches').selectAll();
  if (filter.service !== undefined) query = query.where('service', '=', filter.service);
  if (filter.finished !== undefined)
    query = query.where('finished_at', filter.finished ? 'is not' : 'is', null);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map(fromRow);
}

/**
 * Takes (or renews) the lease of an unfinished watch for `owner` until `now + leaseMs`, in one
 * conditional update: it succeeds only when nobody holds it, the holder's lease has expired, or
 * `owner` holds it already. With several replicas on one database, exactly one wins. True when
 * `owner` holds the lease now.
 */
export async function claimWatch(
  db: Db,
  claim: { id: string; owner: string; now: Date; leaseMs: number },
): Promise<boolean> {
  const now = claim.now.toISOString();
  const result = await db
    .updateTable('watches')
    .set({
      lease_owner: claim.owner,
      lease_expires_at: new Date(claim.now.getTime() + claim.leaseMs).toISOString(),
    })
    .where('id', '=', claim.id)
    .where('finished_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('lease_owner', 'is', null),
        eb('lease_expires_at', '<=', now),
        eb('lease_owner', '=', claim.owner),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Saves an evaluation by the lease holder (a final one also ends the watch and frees the lease).
 * False when `owner` no longer holds an unexpired lease: another replica took over, and this
 * evaluation is dropped rather than written twice.
 */
export async function saveWatchEvaluation(
  db: Db,
  evaluation: { id: string; owner: string; now: Date; report: WatchReport; final: boolean },
): Promise<boolean> {
  const now = evaluation.now.toISOString();
  const result = await db
    .updateTable('watches')
    .set({
      verdict: evaluation.report.verdict,
      report: JSON.stringify(evaluation.report),
      checked_at: now,
      evaluations: sql<number>`evaluations + 1`,
      ...(evaluation.final ? { finished_at: now, lease_owner: null, lease_expires_at: null } : {}),
    })
    .where('id', '=', evaluation.id)
    .where('finished_at', 'is', null)
    .where('lease_owner', '=', evaluation.owner)
    .where('lease_expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
