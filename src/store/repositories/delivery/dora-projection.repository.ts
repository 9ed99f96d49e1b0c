import { sql } from 'kysely';
import type { LedgerEvent } from '../../../core/delivery/dora/compute-dora.ts';
import type { DeliveryEventType } from '../../../core/delivery/event-kinds.ts';
import type {
  DoraDeploymentRecord,
  DoraStageSpan,
  LeadMeasure,
} from '../../../core/delivery/projections/dora-deployment.ts';
import { batches } from '../../lib/batches.ts';
import { insertRows } from '../../lib/insert-rows.ts';
import type { Store } from '../../open-store.ts';
import type { Db } from '../../tables/database.ts';
import type { DoraDeploymentTable } from '../../tables/dora-projection.table.ts';

// The DORA projections (docs/adr/0044): rows only here; core records in and out.

/** A deployment of the projection: its record, its lead measure and its policy passes. */
export type DoraDeploymentRow = DoraDeploymentRecord & {
  lead: LeadMeasure;
  previousCommit: string | null;
  passedChecklists: string[];
};

const num = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

function toRow(d: DoraDeploymentRow): DoraDeploymentTable {
  return {
    service: d.service,
    environment: d.environment,
    start_at: d.startedAt,
    deployment: d.deployment,
    team: d.team,
    commit_sha: d.commit,
    commits: d.commits === null ? null : JSON.stringify(d.commits),
    deployed_at: d.deployedAt,
    first_failure: d.firstFailure,
    rollbacks_triggered: d.rollbacksTriggered,
    rollbacks_ok: d.rollbacksOk.length === 0 ? null : JSON.stringify(d.rollbacksOk),
    rollbacks_ok_count: d.rollbacksOk.length,
    rework: d.rework ? 1 : 0,
    lead_ms: d.lead.leadMs,
    lead_after: d.lead.after,
    lead_own: d.lead.own,
    previous_commit: d.previousCommit,
    policy_passed: d.passedChecklists.length > 0 ? 1 : 0,
    passed_checklists: d.passedChecklists.length === 0 ? null : JSON.stringify(d.passedChecklists),
  };
}

function fromRow(row: DoraDeploymentTable): DoraDeploymentRow {
  return {
    service: row.service,
    environment: row.environment,
    deployment: row.deployment,
    startedAt: Number(row.start_at),
    team: row.team,
    commit: row.commit_sha,
    commits: row.commits === null ? null : (JSON.parse(row.commits) as string[]),
    deployedAt: num(row.deployed_at),
    firstFailure: num(row.first_failure),
    rollbacksTriggered: Number(row.rollbacks_triggered),
    rollbacksOk: row.rollbacks_ok === null ? [] : (JSON.parse(row.rollbacks_ok) as number[]),
    rework: Number(row.rework) === 1,
    lead: { leadMs: num(row.lead_ms), after: num(row.lead_after), own: num(row.lead_own) },
    previousCommit: row.previous_commit,
    passedChecklists:
      row.passed_checklists === null ? [] : (JSON.parse(row.passed_checklists) as string[]),
  };
}

/** The text key of a deployment, for maps. */
export const doraKeyText = (d: { service: string; environment: string; deployment: string }) =>
  `${d.service}\0${d.environment}\0${d.deployment}`;

/** The stored rows of these deployments, by `doraKeyText`. */
export async function findDoraDeployments(
  store: Store,
  db: Db,
  keys: readonly { service: string; environment: string; deployment: string }[],
): Promise<Map<string, DoraDeploymentRow>> {
  const found = new Map<string, DoraDeploymentRow>();
  for (const [scope, ids] of groupKeys(keys))
    for (const chunk of batches(store.capabilities, ids, 1, 2)) {
      const rows = await db
        .selectFrom('dora_deployments')
        .selectAll()
        .where('service', '=', scope.service)
        .where('environment', '=', scope.environment)
        .where('deployment', 'in', chunk)
        .execute();
      for (const row of rows) found.set(doraKeyText(row), fromRow(row));
    }
  return found;
}

/** Keys grouped by (service, environment), ids distinct. */
function groupKeys(
  keys: readonly { service: string; environment: string; deployment: string }[],
): Map<{ service: string; environment: string }, string[]> {
  const byText = new Map<
    string,
    { scope: { service: string; environment: string }; ids: Set<string> }
  >();
  for (const k of keys) {
    const text = `${k.service}\0${k.environment}`;
    let group = byText.get(text);
    if (!group) byText.set(text, (group = { scope: k, ids: new Set() }));
    group.ids.add(k.deployment);
  }
  return new Map([...byText.values()].map((g) => [g.scope, [...g.ids]]));
}

/** Rows of the ledger read as the metrics see them. */
type EventRow = {
  type: DeliveryEventType;
  occurred_at: string;
  service: string;
  environment: string | null;
  commit_sha: string | null;
  commits: string | null;
  deployment: string | null;
  incident: string | null;
  result: LedgerEvent['result'];
  attributes: string | null;
};

const eventColumns = [
  'type',
  'occurred_at',
  'service',
  'environment',
  'commit_sha',
  'commits',
  'deployment',
  'incident',
  'result',
  'attributes',
] as const;

function toEvent(row: EventRow): LedgerEvent {
  return {
    type: row.type,
    at: Date.parse(row.occurred_at),
    service: row.service,
    environment: row.environment,
    commit: row.commit_sha,
    commits: row.commits === null ? null : (JSON.parse(row.commits) as string[]),
    deployment: row.deployment,
    incident: row.incident,
    result: row.result,
    attributes:
      row.attributes === null ? null : (JSON.parse(row.attributes) as Record<string, unknown>),
  };
}

/**
 * The ledger events of a service's deployments with these ids (an event names the deployment,
 * or names none and carries the id as its commit), of the given types.
 */
export async function readDeploymentEvents(
  store: Store,
  db: Db,
  service: string,
  ids: readonly string[],
  types: readonly DeliveryEventType[],
): Promise<LedgerEvent[]> {
  const events: LedgerEvent[] = [];
  // Two statements, not an OR: each then uses its own index.
  for (const chunk of batches(store.capabilities, ids, 1, 1 + types.length)) {
    const named = await db
      .selectFrom('delivery_events')
      .select(eventColumns)
      .where('service', '=', service)
      .where('deployment', 'in', chunk)
      .where('type', 'in', [...types])
      .execute();
    const byCommit = await db
      .selectFrom('delivery_events')
      .select(eventColumns)
      .where('service', '=', service)
      .where('commit_sha', 'in', chunk)
      .where('deployment', 'is', null)
      .where('type', 'in', [...types])
      .execute();
    for (const row of named) events.push(toEvent(row));
    for (const row of byCommit) events.push(toEvent(row));
  }
  return events;
}

/** The ledger events of a service carrying one of these commits (`commit`), of the given types. */
export async function readCommitEvents(
  store: Store,
  db: Db,
  service: string,
  shas: readonly string[],
  types: readonly DeliveryEventType[],
): Promise<LedgerEvent[]> {
  const events: LedgerEvent[] = [];
  for (const chunk of batches(store.capabilities, shas, 1, 1 + types.length)) {
    const rows = await db
      .selectFrom('delivery_events')
      .select(eventColumns)
      .where('service', '=', service)
      .where('commit_sha', 'in', chunk)
      .where('type', 'in', [...types])
      .execute();
    for (const row of rows) events.push(toEvent(row));
  }
  return events;
}

/** The first `commit_created` (with a commit) of a service after `after` (ms), by occurrence. */
export async function findFirstCommitAfter(
  db: Db,
  service: string,
  after: number,
): Promise<number | undefined> {
  let query = db
    .selectFrom('delivery_events')
    .select('occurred_at')
    .where('service', '=', service)
    .where('type', '=', 'commit_created')
    .where('commit_sha', 'is not', null);
  if (after !== -Infinity) query = query.where('occurred_at', '>', new Date(after).toISOString());
  const row = await query.orderBy('occurred_at').limit(1).executeTakeFirst();
  return row === undefined ? undefined : Date.parse(row.occurred_at);
}

/**
 * Every `commit_created` time (with a commit) of a service in lo < occurred <= hi (ms),
 * ascending. The commit is tested here, not in SQL: a condition on it lets SQLite's planner take
 * the commit index and read every event of the service.
 */
export async function readCommitTimesBetween(
  db: Db,
  service: string,
  lo: number,
  hi: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('delivery_events')
    .select(['occurred_at', 'commit_sha'])
    .where('service', '=', service)
    .where('type', '=', 'commit_created')
    .where('occurred_at', '>', new Date(lo).toISOString())
    .where('occurred_at', '<=', new Date(hi).toISOString())
    .orderBy('occurred_at')
    .execute();
  return rows.flatMap((r) => (r.commit_sha === null ? [] : [Date.parse(r.occurred_at)]));
}

/** The first `commit_created` time of these commits of a service (`delivery_commits`), by sha. */
export async function findCommitTimes(
  store: Store,
  db: Db,
  service: string,
  shas: readonly string[],
): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const chunk of batches(store.capabilities, [...new Set(shas)], 1, 1)) {
    const rows = await db
      .selectFrom('delivery_commits')
      .select(['commit_sha', 'committed_at'])
      .where('service', '=', service)
      .where('commit_sha', 'in', chunk)
      .execute();
    for (const row of rows) times.set(row.commit_sha, Number(row.committed_at));
  }
  return times;
}

/** Removes deployments (and their commits and passes) by key. */
export async function deleteDoraDeployments(
  store: Store,
  db: Db,
  keys: readonly { service: string; environment: string; deployment: string }[],
): Promise<void> {
  for (const [scope, ids] of groupKeys(keys))
    for (const chunk of batches(store.capabilities, ids, 1, 2))
      for (const table of [
        'dora_deployments',
        'dora_deployment_commits',
        'dora_gate_passes',
      ] as const)
        await db
          .deleteFrom(table)
          .where('service', '=', scope.service)
          .where('environment', '=', scope.environment)
          .where('deployment', 'in', chunk)
          .execute();
}

/** Stores deployments (none of them stored), with the commits they carry and their passes. */
export async function insertDoraDeployments(
  store: Store,
  db: Db,
  deployments: readonly DoraDeploymentRow[],
): Promise<void> {
  await insertRows(store, db, 'dora_deployments', deployments.map(toRow));
  await insertRows(
    store,
    db,
    'dora_deployment_commits',
    deployments.flatMap((d) =>
      [...new Set([d.commit, ...(d.commits ?? [])])].flatMap((sha) =>
        sha === null
          ? []
          : [
              {
                service: d.service,
                environment: d.environment,
                commit_sha: sha,
                deployment: d.deployment,
              },
            ],
      ),
    ),
  );
  await insertGatePasses(store, db, deployments);
}

async function insertGatePasses(
  store: Store,
  db: Db,
  deployments: readonly DoraDeploymentRow[],
): Promise<void> {
  await insertRows(
    store,
    db,
    'dora_gate_passes',
    deployments.flatMap((d) =>
      d.passedChecklists.map((checklist) => ({
        service: d.service,
        environment: d.environment,
        checklist,
        start_at: d.startedAt,
        deployment: d.deployment,
      })),
    ),
  );
}

/**
 * Writes stored deployments again (new lead measures or passes): a delete and a multi-row insert
 * per batch, not an UPDATE per row (a round trip each on PostgreSQL).
 */
async function rewriteDoraDeployments(
  store: Store,
  db: Db,
  deployments: readonly DoraDeploymentRow[],
): Promise<void> {
  for (const [scope, ids] of groupKeys(deployments))
    for (const chunk of batches(store.capabilities, ids, 1, 2))
      await db
        .deleteFrom('dora_deployments')
        .where('service', '=', scope.service)
        .where('environment', '=', scope.environment)
        .where('deployment', 'in', chunk)
        .execute();
  await insertRows(store, db, 'dora_deployments', deployments.map(toRow));
}

/** Writes new lead measures of stored deployments. */
export async function updateDoraLeads(
  store: Store,
  db: Db,
  deployments: readonly DoraDeploymentRow[],
): Promise<void> {
  await rewriteDoraDeployments(store, db, deployments);
}

/** Writes new policy passes of stored deployments. */
export async function updateDoraPasses(
  store: Store,
  db: Db,
  deployments: readonly DoraDeploymentRow[],
): Promise<void> {
  await rewriteDoraDeployments(store, db, deployments);
  for (const [scope, ids] of groupKeys(deployments))
    for (const chunk of batches(store.capabilities, ids, 1, 2))
      await db
        .deleteFrom('dora_gate_passes')
        .where('service', '=', scope.service)
        .where('environment', '=', scope.environment)
        .where('deployment', 'in', chunk)
        .execute();
  await insertGatePasses(store, db, deployments);
}

/** Stored deployments of a service whose `column` is one of `values` (any environment). */
async function findDoraDeploymentsIn(
  store: Store,
  db: Db,
  service: string,
  column: 'commit_sha' | 'previous_commit',
  values: readonly string[],
): Promise<DoraDeploymentRow[]> {
  const found: DoraDeploymentRow[] = [];
  for (const chunk of batches(store.capabilities, [...new Set(values)], 1, 1))
    for (const row of await db
      .selectFrom('dora_deployments')
      .selectAll()
      .where('service', '=', service)
      .where(column, 'in', chunk)
      .execute())
      found.push(fromRow(row));
  return found;
}

/** Stored deployments of a service whose own commit is one of these (any environment). */
export function findDoraDeploymentsWithCommit(
  store: Store,
  db: Db,
  service: string,
  shas: readonly string[],
): Promise<DoraDeploymentRow[]> {
  return findDoraDeploymentsIn(store, db, service, 'commit_sha', shas);
}

/** Stored deployments of a service carrying one of these commits (`commit` or `commits`). */
export async function findDoraDeploymentsCarrying(
  store: Store,
  db: Db,
  service: string,
  shas: readonly string[],
  environment?: string,
): Promise<DoraDeploymentRow[]> {
  const found: DoraDeploymentRow[] = [];
  for (const chunk of batches(store.capabilities, [...new Set(shas)], 1, 2)) {
    let query = db
      .selectFrom('dora_deployment_commits as c')
      .innerJoin('dora_deployments as d', (join) =>
        join
          .onRef('d.service', '=', 'c.service')
          .onRef('d.environment', '=', 'c.environment')
          .onRef('d.deployment', '=', 'c.deployment'),
      )
      .selectAll('d')
      .where('c.service', '=', service)
      .where('c.commit_sha', 'in', chunk);
    if (environment !== undefined) query = query.where('c.environment', '=', environment);
    for (const row of await query.execute()) found.push(fromRow(row));
  }
  return dedupe(found);
}

function dedupe(rows: readonly DoraDeploymentRow[]): DoraDeploymentRow[] {
  return [...new Map(rows.map((r) => [doraKeyText(r), r])).values()];
}

/** Stored deployments of a service whose change starts after one of these commits. */
export function findDoraDeploymentsAfterCommit(
  store: Store,
  db: Db,
  service: string,
  shas: readonly string[],
): Promise<DoraDeploymentRow[]> {
  return findDoraDeploymentsIn(store, db, service, 'previous_commit', shas);
}

/**
 * Stored deployments of a service whose change a commit at `at` may now start: measured from
 * their own commit at or after `at`, after a commit before it (or from the first commit).
 */
export async function findDoraDeploymentsSpanning(
  db: Db,
  service: string,
  at: number,
): Promise<DoraDeploymentRow[]> {
  const rows = await db
    .selectFrom('dora_deployments')
    .selectAll()
    .where('service', '=', service)
    .where('lead_own', '>=', at)
    .where((eb) => eb.or([eb('lead_after', 'is', null), eb('lead_after', '<', at)]))
    .execute();
  return rows.map(fromRow);
}

/**
 * Stored deployments of (service, environment) in start order (ties by id, code point order)
 * from `from` (ms, included), at most `limit`, after `after` when given (a previous page's last).
 */
export async function readDoraDeploymentsFrom(
  store: Store,
  db: Db,
  scope: { service: string; environment: string },
  from: number,
  limit: number,
  after?: { startedAt: number; deployment: string },
): Promise<DoraDeploymentRow[]> {
  const id = store.capabilities.binaryTextOrder(sql.ref<string>('deployment'));
  let query = db
    .selectFrom('dora_deployments')
    .selectAll()
    .where('service', '=', scope.service)
    .where('environment', '=', scope.environment)
    .where('start_at', '>=', from);
  if (after !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb('start_at', '>', after.startedAt),
        eb.and([eb('start_at', '=', after.startedAt), eb(id, '>', after.deployment)]),
      ]),
    );
  const rows = await query.orderBy('start_at').orderBy(id).limit(limit).execute();
  return rows.map(fromRow);
}

/** Stored deployments of (service, environment) that started before `before`, latest first. */
export async function readDoraDeploymentsBefore(
  store: Store,
  db: Db,
  scope: { service: string; environment: string },
  before: number,
  limit: number,
  offset: number,
): Promise<DoraDeploymentRow[]> {
  const id = store.capabilities.binaryTextOrder(sql.ref<string>('deployment'));
  const rows = await db
    .selectFrom('dora_deployments')
    .selectAll()
    .where('service', '=', scope.service)
    .where('environment', '=', scope.environment)
    .where('start_at', '<', before)
    .orderBy('start_at', 'desc')
    .orderBy(id, 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map(fromRow);
}

/** Records `policy_failed` events (a repeat of a stored one is left out). */
export async function insertPolicyFailures(
  store: Store,
  db: Db,
  failures: readonly {
    source: string;
    id: string;
    service: string;
    checklist: string;
    commit: string;
    at: number;
    failing: string[];
  }[],
): Promise<void> {
  await insertRows(
    store,
    db,
    'dora_policy_failures',
    failures.map((f) => ({
      source: f.source,
      id: f.id,
      service: f.service,
      checklist: f.checklist,
      commit_sha: f.commit,
      failed_at: f.at,
      failing: JSON.stringify(f.failing),
    })),
    ['source', 'id'],
  );
}

/** Records the checklists of `policy_passed` events. */
export async function insertChecklists(
  store: Store,
  db: Db,
  checklists: readonly { service: string; checklist: string }[],
): Promise<void> {
  const distinct = [
    ...new Map(checklists.map((c) => [`${c.service}\0${c.checklist}`, c])).values(),
  ];
  await insertRows(store, db, 'dora_checklists', distinct, ['service', 'checklist']);
}

/** Replaces the stage spans of these commits of a service. */
export async function replaceStageSpans(
  store: Store,
  db: Db,
  service: string,
  spans: ReadonlyMap<string, readonly DoraStageSpan[]>,
): Promise<void> {
  for (const chunk of batches(store.capabilities, [...spans.keys()], 1, 1))
    await db
      .deleteFrom('dora_stage_spans')
      .where('service', '=', service)
      .where('commit_sha', 'in', chunk)
      .execute();
  await insertRows(
    store,
    db,
    'dora_stage_spans',
    [...spans].flatMap(([commit, list]) =>
      list.map((s) => ({
        service,
        environment: s.environment,
        from_stage: s.from,
        to_stage: s.to,
        end_at: s.endAt,
        commit_sha: commit,
        span_ms: s.spanMs,
      })),
    ),
  );
}

/** Whether the DORA projections hold the whole ledger (`candor db rebuild` makes them). */
export async function isDoraProjectionReady(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('candor_projection_state')
    .select('ready')
    .where('name', '=', 'dora')
    .executeTakeFirst();
  return row !== undefined && Number(row.ready) === 1;
}

/** Empties the DORA projections (`setDoraProjectionReady` says when they hold the ledger again). */
export async function clearDoraProjections(db: Db): Promise<void> {
  for (const table of [
    'dora_deployments',
    'dora_deployment_commits',
    'dora_gate_passes',
    'dora_checklists',
    'dora_policy_failures',
    'dora_stage_spans',
    'dora_daily_deployments',
    'dora_daily_spans',
  ] as const)
    await db.deleteFrom(table).execute();
}

/** Marks the DORA projections as holding the whole ledger, or not. */
export async function setDoraProjectionReady(db: Db, ready: boolean): Promise<void> {
  await db
    .updateTable('candor_projection_state')
    .set({ ready: ready ? 1 : 0 })
    .where('name', '=', 'dora')
    .execute();
}

// Reads for a report (`candor dora` from the projections).

/** A window of a report: (service, environment) and from..to, both included (ms). */
export type DoraWindowScope = { service: string; environment: string; from: number; to: number };

/** The numbers of a comma-joined list (`joinNumbers`). */
function parseNumbers(text: string | null): number[] {
  if (text === null || text === '') return [];
  const parts = text.split(',');
  const values = new Array<number>(parts.length);
  for (let i = 0; i < parts.length; i++) values[i] = Number(parts[i]);
  return values;
}

/** What the deployments that started in a window add up to, and their lead times (ms). */
export async function sumDoraWindow(
  store: Store,
  db: Db,
  scope: DoraWindowScope,
): Promise<{
  deployments: number;
  rework: number;
  rollbacksTriggered: number;
  rollbacksOk: number;
  policyPassed: number;
  leadMs: number[];
}> {
  const row = await db
    .selectFrom('dora_deployments')
    .select([
      sql<number | string>`count(*)`.as('n'),
      sql<number | string | null>`sum(rework)`.as('rework'),
      sql<number | string | null>`sum(rollbacks_triggered)`.as('triggered'),
      sql<number | string | null>`sum(rollbacks_ok_count)`.as('ok'),
      sql<number | string | null>`sum(policy_passed)`.as('passed'),
      store.capabilities.joinNumbers(sql.ref<number | null>('lead_ms')).as('leads'),
    ])
    .where('service', '=', scope.service)
    .where('environment', '=', scope.environment)
    .where('start_at', '>=', scope.from)
    .where('start_at', '<=', scope.to)
    .executeTakeFirstOrThrow();
  return {
    deployments: Number(row.n),
    rework: Number(row.rework ?? 0),
    rollbacksTriggered: Number(row.triggered ?? 0),
    rollbacksOk: Number(row.ok ?? 0),
    policyPassed: Number(row.passed ?? 0),
    leadMs: parseNumbers(row.leads),
  };
}

/** What a report reads of a failed deployment. */
export type FailedDoraDeployment = Pick<
  DoraDeploymentRow,
  | 'service'
  | 'environment'
  | 'deployment'
  | 'startedAt'
  | 'firstFailure'
  | 'rollbacksOk'
  | 'passedChecklists'
>;

/** The deployments that started in a window with a failure signal of their own. */
export async function readFailedInWindow(
  db: Db,
  scope: DoraWindowScope,
): Promise<FailedDoraDeployment[]> {
  const rows = await db
    .selectFrom('dora_deployments')
    .select(['deployment', 'start_at', 'first_failure', 'rollbacks_ok', 'passed_checklists'])
    .where('service', '=', scope.service)
    .where('environment', '=', scope.environment)
    .where('start_at', '>=', scope.from)
    .where('start_at', '<=', scope.to)
    .where('first_failure', 'is not', null)
    .execute();
  return rows.map((row) => ({
    service: scope.service,
    environment: scope.environment,
    deployment: row.deployment,
    startedAt: Number(row.start_at),
    firstFailure: num(row.first_failure),
    rollbacksOk: row.rollbacks_ok === null ? [] : (JSON.parse(row.rollbacks_ok) as number[]),
    passedChecklists:
      row.passed_checklists === null ? [] : (JSON.parse(row.passed_checklists) as string[]),
  }));
}

/** How many deployments without a rework mark started in from <= start < to (ms). */
export async function countUnmarkedStarts(
  db: Db,
  scope: { service: string; environment: string },
  from: number,
  to: number,
): Promise<number> {
  const row = await db
    .selectFrom('dora_deployments')
    .select(sql<number | string>`count(*)`.as('n'))
    .where('service', '=', scope.service)
    .where('environment', '=', scope.environment)
    .where('start_at', '>=', from)
    .where('start_at', '<', to)
    .where('rework', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The deployments of (service, environment) that started last at or before `at` (ties: all). */
export async function findLatestDoraStarts(
  db: Db,
  scope: { service: string; environment: string },
  at: number,
): Promise<DoraDeploymentRow[]> {
  const latest = await db
    .selectFrom('dora_deployments')
    .select('start_at')
    .where('service', '=', scope.service)
    .where('environment', '=', scope.environment)
    .where('start_at', '<=', at)
    .orderBy('start_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest === undefined) return [];
  const rows = await db
    .selectFrom('dora_deployments')
    .selectAll()
    .where('service', '=', scope.service)
    .where('environment', '=', scope.environment)
    .where('start_at', '=', latest.start_at)
    .execute();
  return rows.map(fromRow);
}

/** An `incident_opened` of a service, with the latest resolution of its incident. */
export type DoraIncident = {
  at: number;
  incident: string | null;
  deployment: string | null;
  commit: string | null;
  resolved: number | null;
};

/**
 * The incidents of a service that can touch deployments started at or after `from`: opened at
 * or after it, or not resolved before it.
 */
export async function readIncidentsSince(
  db: Db,
  service: string,
  from: number,
): Promise<DoraIncident[]> {
  const rows = await db
    .selectFrom('delivery_incidents as i')
    .leftJoin('delivery_incident_resolutions as r', (join) =>
      join.onRef('r.service', '=', 'i.service').onRef('r.incident', '=', 'i.incident'),
    )
    .select(['i.opened_at', 'i.incident', 'i.deployment', 'i.commit_sha', 'r.resolved_at'])
    .where('i.service', '=', service)
    .where((eb) =>
      eb.or([
        eb('i.opened_at', '>=', from),
        eb('r.resolved_at', 'is', null),
        eb('r.resolved_at', '>=', from),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    at: Number(r.opened_at),
    incident: r.incident,
    deployment: r.deployment,
    commit: r.commit_sha,
    resolved: r.incident === null || r.resolved_at === null ? null : Number(r.resolved_at),
  }));
}

/** The checklists of a service's `policy_passed` events. */
export async function listDoraChecklists(db: Db, service: string): Promise<string[]> {
  const rows = await db
    .selectFrom('dora_checklists')
    .select('checklist')
    .where('service', '=', service)
    .execute();
  return rows.map((r) => r.checklist);
}

/** How many deployments that started in the window each of these checklists passed. */
export async function countGatePasses(
  db: Db,
  scope: DoraWindowScope,
  checklists: readonly string[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const checklist of checklists) {
    const row = await db
      .selectFrom('dora_gate_passes')
      .select(sql<number | string>`count(*)`.as('n'))
      .where('service', '=', scope.service)
      .where('environment', '=', scope.environment)
      .where('checklist', '=', checklist)
      .where('start_at', '>=', scope.from)
      .where('start_at', '<=', scope.to)
      .executeTakeFirstOrThrow();
    counts.set(checklist, Number(row.n));
  }
  return counts;
}

/** The `policy_failed` events of a service in from..to (ms, both included), oldest first. */
export async function readPolicyFailures(
  store: Store,
  db: Db,
  scope: { service: string; from: number; to: number },
): Promise<{ checklist: string; commit: string; at: number; failing: string[] }[]> {
  const rows = await db
    .selectFrom('dora_policy_failures')
    .select(['checklist', 'commit_sha', 'failed_at', 'failing', 'source', 'id'])
    .where('service', '=', scope.service)
    .where('failed_at', '>=', scope.from)
    .where('failed_at', '<=', scope.to)
    .orderBy('failed_at')
    .orderBy(store.capabilities.binaryTextOrder(sql.ref<string>('source')))
    .orderBy(store.capabilities.binaryTextOrder(sql.ref<string>('id')))
    .execute();
  return rows.map((r) => ({
    checklist: r.checklist,
    commit: r.commit_sha,
    at: Number(r.failed_at),
    failing: JSON.parse(r.failing) as string[],
  }));
}

/**
 * The spans from stage `from` to stage `to` (indexes into `pipelineStages`) of a service's
 * changes whose later stage fell in the window, in ms: those of no deployment and those of the
 * window's environment.
 */
export async function readStageSpans(
  store: Store,
  db: Db,
  scope: DoraWindowScope,
  from: number,
  to: number,
): Promise<number[]> {
  const row = await db
    .selectFrom('dora_stage_spans')
    .select(store.capabilities.joinNumbers(sql.ref<number | null>('span_ms')).as('spans'))
    .where('service', '=', scope.service)
    .where('environment', 'in', ['', scope.environment])
    .where('from_stage', '=', from)
    .where('to_stage', '=', to)
    .where('end_at', '>=', scope.from)
    .where('end_at', '<=', scope.to)
    .executeTakeFirstOrThrow();
  return parseNumbers(row.spans);
}

// Daily sums (docs/adr/0044): what a report reads for the whole days of its window.

const dayMs = 86_400_000;

/** The UTC day (ms of its midnight) of a time. */
export const dayOf = (at: number): number => Math.floor(at / dayMs) * dayMs;

/** Milliseconds as sorted seconds (`ms / 1000`, as `toSeconds`), float64 little-endian bytes. */
function toBytes(milliseconds: readonly number[]): Buffer {
  const sorted = Float64Array.from(milliseconds, (ms) => ms / 1_000).sort();
  const bytes = Buffer.allocUnsafe(sorted.length * 8);
  for (let i = 0; i < sorted.length; i++) bytes.writeDoubleLE(sorted[i] as number, i * 8);
  return bytes;
}

/** How many numbers the bytes of `toBytes` hold. */
export const countOfBytes = (bytes: Uint8Array): number => Math.floor(bytes.byteLength / 8);

const isLittleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * The seconds of `toBytes`, copied into `out` from `at` (one copy of the bytes on a
 * little-endian machine, no per-value work); returns the index after the last.
 */
export function writeSecondsOf(bytes: Uint8Array, out: Float64Array, at: number): number {
  const count = countOfBytes(bytes);
  if (isLittleEndian) {
    // Float64Array needs its offset aligned to 8: a driver's pooled Buffer may not be.
    const aligned =
      bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes.subarray(0, count * 8));
    out.set(new Float64Array(aligned.buffer, aligned.byteOffset, count), at);
    return at + count;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) out[at + i] = view.getFloat64(i * 8, true);
  return at + count;
}

/** A (service, environment, day) whose deployments changed. */
export type DoraDay = { service: string; environment: string; day: number };

/** A (service, environment, pair of stages, day) whose spans changed. */
export type DoraSpanDay = DoraDay & { from: number; to: number };

/** Computes the daily sums of these days again from the deployments' rows. */
export async function refreshDailyDeployments(
  store: Store,
  db: Db,
  days: readonly DoraDay[],
): Promise<void> {
  const distinct = new Map(days.map((d) => [`${d.service}\0${d.environment}\0${d.day}`, d]));
  for (const d of distinct.values()) {
    const scope = { ...d, from: d.day, to: d.day + dayMs - 1 };
    const sums = await sumDoraWindow(store, db, scope);
    const passes = await db
      .selectFrom('dora_gate_passes')
      .select(['checklist', sql<number | string>`count(*)`.as('n')])
      .where('service', '=', d.service)
      .where('environment', '=', d.environment)
      .where('start_at', '>=', scope.from)
      .where('start_at', '<=', scope.to)
      .groupBy('checklist')
      .execute();
    await db
      .deleteFrom('dora_daily_deployments')
      .where('service', '=', d.service)
      .where('environment', '=', d.environment)
      .where('day', '=', d.day)
      .execute();
    if (sums.deployments === 0) continue;
    await db
      .insertInto('dora_daily_deployments')
      .values({
        service: d.service,
        environment: d.environment,
        day: d.day,
        deployments: sums.deployments,
        rework: sums.rework,
        rollbacks_triggered: sums.rollbacksTriggered,
        rollbacks_ok: sums.rollbacksOk,
        policy_passed: sums.policyPassed,
        passes: JSON.stringify(Object.fromEntries(passes.map((p) => [p.checklist, Number(p.n)]))),
        leads: toBytes(sums.leadMs),
      })
      .execute();
  }
}

/** Computes the daily spans of these days again from the spans' rows. */
export async function refreshDailySpans(
  store: Store,
  db: Db,
  days: readonly DoraSpanDay[],
): Promise<void> {
  const distinct = new Map(
    days.map((d) => [`${d.service}\0${d.environment}\0${d.from}\0${d.to}\0${d.day}`, d]),
  );
  for (const d of distinct.values()) {
    const row = await db
      .selectFrom('dora_stage_spans')
      .select(store.capabilities.joinNumbers(sql.ref<number | null>('span_ms')).as('spans'))
      .where('service', '=', d.service)
      .where('environment', '=', d.environment)
      .where('from_stage', '=', d.from)
      .where('to_stage', '=', d.to)
      .where('end_at', '>=', d.day)
      .where('end_at', '<', d.day + dayMs)
      .executeTakeFirstOrThrow();
    await db
      .deleteFrom('dora_daily_spans')
      .where('service', '=', d.service)
      .where('environment', '=', d.environment)
      .where('from_stage', '=', d.from)
      .where('to_stage', '=', d.to)
      .where('day', '=', d.day)
      .execute();
    const spans = parseNumbers(row.spans);
    if (spans.length === 0) continue;
    await db
      .insertInto('dora_daily_spans')
      .values({
        service: d.service,
        environment: d.environment,
        from_stage: d.from,
        to_stage: d.to,
        day: d.day,
        spans: toBytes(spans),
      })
      .execute();
  }
}

/** The span days the stored spans of these commits are in (before they are replaced). */
export async function findSpanDaysOf(
  store: Store,
  db: Db,
  service: string,
  shas: readonly string[],
): Promise<DoraSpanDay[]> {
  const days: DoraSpanDay[] = [];
  for (const chunk of batches(store.capabilities, shas, 1, 1))
    for (const row of await db
      .selectFrom('dora_stage_spans')
      .select(['environment', 'from_stage', 'to_stage', 'end_at'])
      .where('service', '=', service)
      .where('commit_sha', 'in', chunk)
      .execute())
      days.push({
        service,
        environment: row.environment,
        from: Number(row.from_stage),
        to: Number(row.to_stage),
        day: dayOf(Number(row.end_at)),
      });
  return days;
}

/** The daily sums of (service, environment) for the days from `first` to `last` (included). */
export async function readDailyDeployments(
  db: Db,
  scope: { service: string; environment: string },
  first: number,
  last: number,
): Promise<
  {
    day: number;
    deployments: number;
    rework: number;
    rollbacksTriggered: number;
    rollbacksOk: number;
    policyPassed: number;
    passes: Record<string, number>;
    /** The day's lead times (seconds) as stored: `countOfBytes`, `writeSecondsOf`. */
    leads: Uint8Array;
  }[]
> {
  const rows = await db
    .selectFrom('dora_daily_deployments')
    .selectAll()
    .where('service', '=', scope.service)
    .where('environment', '=', scope.environment)
    .where('day', '>=', first)
    .where('day', '<=', last)
    .execute();
  return rows.map((row) => {
    return {
      day: Number(row.day),
      deployments: Number(row.deployments),
      rework: Number(row.rework),
      rollbacksTriggered: Number(row.rollbacks_triggered),
      rollbacksOk: Number(row.rollbacks_ok),
      policyPassed: Number(row.policy_passed),
      passes: JSON.parse(row.passes) as Record<string, number>,
      leads: row.leads,
    };
  });
}

/**
 * The daily spans of a service, of no deployment and of `environment`, for the days from `first`
 * to `last` (included), as stored (`countOfBytes`, `writeSecondsOf`), per pair of stages
 * (`from * stages + to`).
 */
export async function readDailySpans(
  db: Db,
  scope: { service: string; environment: string },
  first: number,
  last: number,
  stages: number,
): Promise<Map<number, Uint8Array[]>> {
  const rows = await db
    .selectFrom('dora_daily_spans')
    .select(['from_stage', 'to_stage', 'spans'])
    .where('service', '=', scope.service)
    .where('environment', 'in', ['', scope.environment])
    .where('day', '>=', first)
    .where('day', '<=', last)
    .execute();
  const out = new Map<number, Uint8Array[]>();
  for (const row of rows) {
    const key = Number(row.from_stage) * stages + Number(row.to_stage);
    const list = out.get(key);
    if (list) list.push(row.spans);
    else out.set(key, [row.spans]);
  }
  return out;
}

/**
 * Deployments of these services in `environment` that started from `from` to `to` (ms, both
 * included), per UTC day (midnight ms): the daily sums for whole days, rows for the rest.
 */
export async function countDoraStartsPerDay(
  db: Db,
  scope: { environment: string; services: readonly string[] },
  from: number,
  to: number,
): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const add = (day: number, n: number) => counts.set(day, (counts.get(day) ?? 0) + n);
  const first = Math.ceil(from / dayMs) * dayMs;
  const end = Math.floor((to + 1) / dayMs) * dayMs;
  const whole = first + dayMs <= end;
  const edges = whole
    ? [
        ...(from < first ? [{ from, to: first - 1 }] : []),
        ...(end <= to ? [{ from: end, to }] : []),
      ]
    : [{ from, to }];
  for (const service of scope.services) {
    if (whole)
      for (const row of await db
        .selectFrom('dora_daily_deployments')
        .select(['day', 'deployments'])
        .where('service', '=', service)
        .where('environment', '=', scope.environment)
        .where('day', '>=', first)
        .where('day', '<', end)
        .execute())
        add(Number(row.day), Number(row.deployments));
    for (const edge of edges)
      for (const row of await db
        .selectFrom('dora_deployments')
        .select('start_at')
        .where('service', '=', service)
        .where('environment', '=', scope.environment)
        .where('start_at', '>=', edge.from)
        .where('start_at', '<=', edge.to)
        .execute())
        add(dayOf(Number(row.start_at)), 1);
  }
  return counts;
}

/** The pairs of stages (`from * stages + to`) a service has spans of, of no deployment or of `environment`. */
export async function listSpanPairs(
  db: Db,
  scope: { service: string; environment: string },
  stages: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('dora_daily_spans')
    .select(['from_stage', 'to_stage'])
    .distinct()
    .where('service', '=', scope.service)
    .where('environment', 'in', ['', scope.environment])
    .execute();
  return rows.map((r) => Number(r.from_stage) * stages + Number(r.to_stage));
}

/** What a report reads of a deployment an incident may link to: `FailedDoraDeployment` and its commits. */
export type LinkableDoraDeployment = FailedDoraDeployment &
  Pick<DoraDeploymentRow, 'commit' | 'commits'>;

/** The deployments of (service, environment) carrying these commits, as a report reads them. */
export async function findLinkableCarrying(
  store: Store,
  db: Db,
  scope: { service: string; environment: string },
  shas: readonly string[],
): Promise<LinkableDoraDeployment[]> {
  const found = new Map<string, LinkableDoraDeployment>();
  for (const chunk of batches(store.capabilities, [...new Set(shas)], 1, 2))
    for (const row of await db
      .selectFrom('dora_deployment_commits as c')
      .innerJoin('dora_deployments as d', (join) =>
        join
          .onRef('d.service', '=', 'c.service')
          .onRef('d.environment', '=', 'c.environment')
          .onRef('d.deployment', '=', 'c.deployment'),
      )
      .select([
        'd.deployment',
        'd.start_at',
        'd.first_failure',
        'd.rollbacks_ok',
        'd.passed_checklists',
        'd.commit_sha',
        'd.commits',
      ])
      .where('c.service', '=', scope.service)
      .where('c.environment', '=', scope.environment)
      .where('c.commit_sha', 'in', chunk)
      .execute())
      found.set(row.deployment, {
        service: scope.service,
        environment: scope.environment,
        deployment: row.deployment,
        startedAt: Number(row.start_at),
        firstFailure: num(row.first_failure),
        rollbacksOk: row.rollbacks_ok === null ? [] : (JSON.parse(row.rollbacks_ok) as number[]),
        passedChecklists:
          row.passed_checklists === null ? [] : (JSON.parse(row.passed_checklists) as string[]),
        commit: row.commit_sha,
        commits: row.commits === null ? null : (JSON.parse(row.commits) as string[]),
      });
  return [...found.values()];
}
