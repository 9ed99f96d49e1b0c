import { sql } from 'kysely';
import type { DeploymentFacts } from '../../../core/delivery/projections/deployment-facts.ts';
import { startOf } from '../../../core/delivery/projections/deployment-facts.ts';
import type {
  DeploymentMeasure,
  LinkedIncident,
} from '../../../core/delivery/projections/measure-deployment.ts';
import { batches, rowsPerStatement } from '../../lib/batches.ts';
import type { StoreCapabilities } from '../../dialects/store-dialect.ts';
import type { Db } from '../../tables/database.ts';
import type {
  DeliveryDeploymentTable,
  DeliveryIncidentTable,
} from '../../tables/delivery-projection.table.ts';

// The delivery projections (docs/adr/0018): rows only here; core facts and measures in and out.

/** A deployment of the projection: its facts and what it adds to the totals now. */
export type ProjectedDeployment = { facts: DeploymentFacts; measure: DeploymentMeasure };

/** An `incident_opened` of the projection and the deployment it links to (null: unlinked). */
export type ProjectedIncident = {
  source: string;
  id: string;
  service: string;
  at: number;
  incident: string | null;
  deployment: string | null;
  commit: string | null;
  target: string | null;
  link: LinkedIncident['link'] | null;
};

/** One total of `delivery_totals`. */
export type DeliveryTotal = {
  service: string;
  environment: string;
  metric: string;
  label: string;
  value: number;
};

type Capabilities = Pick<StoreCapabilities, 'maxParameters'>;

/** A key as one string, for maps. */
export const deploymentKeyText = (d: {
  service: string;
  environment: string;
  deployment: string;
}) => `${d.service}\0${d.environment}\0${d.deployment}`;

function toDeploymentRow({ facts, measure }: ProjectedDeployment): DeliveryDeploymentTable {
  return {
    service: facts.service,
    environment: facts.environment,
    deployment: facts.deployment,
    start_at: startOf(facts),
    started_at: facts.startedAt,
    finished_at: facts.finishedAt,
    finish_result: facts.finishResult,
    deployed_at: facts.deployedAt,
    failed_at: facts.failedAt,
    rollbacks_triggered: facts.rollbacksTriggered,
    rollbacks_ok: JSON.stringify(facts.rollbacksOk),
    rollbacks_failed: facts.rollbacksFailed,
    commit_sha: facts.commit,
    commits: facts.commits === null ? null : JSON.stringify(facts.commits),
    commit_from: facts.commitFrom,
    measured_result: measure.result,
    measured_failed: measure.failed ? 1 : 0,
    measured_lead_seconds: measure.leadSeconds,
    measured_recovery_seconds: measure.recoverySeconds,
  };
}

const num = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

function fromDeploymentRow(row: DeliveryDeploymentTable): ProjectedDeployment {
  return {
    facts: {
      service: row.service,
      environment: row.environment,
      deployment: row.deployment,
      startedAt: num(row.started_at),
      finishedAt: num(row.finished_at),
      finishResult: row.finish_result,
      deployedAt: num(row.deployed_at),
      failedAt: num(row.failed_at),
      rollbacksTriggered: Number(row.rollbacks_triggered),
      rollbacksOk: JSON.parse(row.rollbacks_ok) as number[],
      rollbacksFailed: Number(row.rollbacks_failed),
      commit: row.commit_sha,
      commits: row.commits === null ? null : (JSON.parse(row.commits) as string[]),
      commitFrom: num(row.commit_from),
    },
    measure: {
      result: row.measured_result,
      failed: Number(row.measured_failed) === 1,
      leadSeconds: num(row.measured_lead_seconds),
      recoverySeconds: num(row.measured_recovery_seconds),
    },
  };
}

/** One value per key: the one `isBetter` prefers over the others. */
function keepPerKey<T>(
  values: readonly T[],
  keyOf: (value: T) => string,
  isBetter: (a: T, b: T) => boolean,
): Iterable<T> {
  const kept = new Map<string, T>();
  for (const v of values) {
    const key = keyOf(v);
    const current = kept.get(key);
    if (current === undefined || !isBetter(current, v)) kept.set(key, v);
  }
  return kept.values();
}

/** Services one grouped statement names at most: SQLite parses an OR list as a tree, 1,000 deep at most. */
const maxGroupsPerStatement = 100;

/**
 * Values of several services in slices for one statement each, `[service, values][]` per
 * slice: at most `rowsPerStatement` values and 100 services a statement, distinct values per
 * service. One statement per slice instead of one per service (fewer round trips per batch).
 */
function* serviceSlices(
  capabilities: Capabilities,
  pairs: readonly { service: string; value: string }[],
): Generator<[string, string[]][]> {
  const grouped = new Map<string, Set<string>>();
  for (const { service, value } of pairs) {
    const set = grouped.get(service);
    if (set) set.add(value);
    else grouped.set(service, new Set([value]));
  }
  const limit = rowsPerStatement(capabilities, 1, maxGroupsPerStatement);
  let slice: [string, string[]][] = [];
  let size = 0;
  for (const [service, values] of grouped)
    for (const part of batches(capabilities, [...values], 1, maxGroupsPerStatement)) {
      if (
        slice.length > 0 &&
        (size + part.length > limit || slice.length >= maxGroupsPerStatement)
      ) {
        yield slice;
        slice = [];
        size = 0;
      }
      slice.push([service, part]);
      size += part.length;
    }
  if (slice.length > 0) yield slice;
}

/** The projected deployments with these keys, by `deploymentKeyText` (absent keys left out). */
export async function findProjectedDeployments(
  capabilities: Capabilities,
  db: Db,
  keys: readonly { service: string; environment: string; deployment: string }[],
): Promise<Map<string, ProjectedDeployment>> {
  const found = new Map<string, ProjectedDeployment>();
  const wanted = new Set(keys.map(deploymentKeyText));
  const pairs = keys.map((k) => ({ service: k.service, value: k.deployment }));
  for (const slice of serviceSlices(capabilities, pairs)) {
    const rows = await db
      .selectFrom('delivery_deployments')
      .selectAll()
      .where((eb) =>
        eb.or(
          slice.map(([s, ids]) => eb.and([eb('service', '=', s), eb('deployment', 'in', ids)])),
        ),
      )
      .execute();
    for (const row of rows) {
      const key = deploymentKeyText(row);
      if (wanted.has(key)) found.set(key, fromDeploymentRow(row));
    }
  }
  return found;
}

/** Writes projected deployments whole (insert or replace), in key order. */
export async function saveProjectedDeployments(
  capabilities: Capabilities,
  db: Db,
  deployments: readonly ProjectedDeployment[],
): Promise<void> {
  const rows = deployments
    .map(toDeploymentRow)
    .sort((a, b) => (deploymentKeyText(a) < deploymentKeyText(b) ? -1 : 1));
  for (const slice of batches(capabilities, rows, 19)) {
    await db
      .insertInto('delivery_deployments')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['service', 'environment', 'deployment']).doUpdateSet((eb) => ({
          start_at: eb.ref('excluded.start_at'),
          started_at: eb.ref('excluded.started_at'),
          finished_at: eb.ref('excluded.finished_at'),
          finish_result: eb.ref('excluded.finish_result'),
          deployed_at: eb.ref('excluded.deployed_at'),
          failed_at: eb.ref('excluded.failed_at'),
          rollbacks_triggered: eb.ref('excluded.rollbacks_triggered'),
          rollbacks_ok: eb.ref('excluded.rollbacks_ok'),
          rollbacks_failed: eb.ref('excluded.rollbacks_failed'),
          commit_sha: eb.ref('excluded.commit_sha'),
          commits: eb.ref('excluded.commits'),
          commit_from: eb.ref('excluded.commit_from'),
          measured_result: eb.ref('excluded.measured_result'),
          measured_failed: eb.ref('excluded.measured_failed'),
          measured_lead_seconds: eb.ref('excluded.measured_lead_seconds'),
          measured_recovery_seconds: eb.ref('excluded.measured_recovery_seconds'),
        })),
      )
      .execute();
  }
}

/** Records the commits each deployment carries (known pairs are kept). */
export async function addDeploymentCommits(
  capabilities: Capabilities,
  db: Db,
  rows: readonly { service: string; commit: string; environment: string; deployment: string }[],
): Promise<void> {
  const values = [
    ...keepPerKey(
      rows,
      (r) => `${r.service}\0${r.commit}\0${r.environment}\0${r.deployment}`,
      () => true,
    ),
  ].map((r) => ({
    service: r.service,
    commit_sha: r.commit,
    environment: r.environment,
    deployment: r.deployment,
  }));
  for (const slice of batches(capabilities, values, 4))
    await db
      .insertInto('delivery_deployment_commits')
      .values(slice)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

/** The deployments of a service that carry any of these commits, in any environment. */
export async function findDeploymentsCarrying(
  capabilities: Capabilities,
  db: Db,
  service: string,
  shas: readonly string[],
): Promise<{ service: string; environment: string; deployment: string; commit: string }[]> {
  return findDeploymentsCarryingAny(
    capabilities,
    db,
    shas.map((commit) => ({ service, commit })),
  );
}

/** The deployments that carry any of these commits of their service, in any environment. */
export async function findDeploymentsCarryingAny(
  capabilities: Capabilities,
  db: Db,
  commits: readonly { service: string; commit: string }[],
): Promise<{ service: string; environment: string; deployment: string; commit: string }[]> {
  const found: { service: string; environment: string; deployment: string; commit: string }[] = [];
  const pairs = commits.map((c) => ({ service: c.service, value: c.commit }));
  for (const slice of serviceSlices(capabilities, pairs)) {
    const rows = await db
      .selectFrom('delivery_deployment_commits')
      .select(['service', 'environment', 'deployment', 'commit_sha'])
      .where((eb) =>
        eb.or(
          slice.map(([s, shas]) => eb.and([eb('service', '=', s), eb('commit_sha', 'in', shas)])),
        ),
      )
      .execute();
    for (const r of rows) found.push({ ...r, commit: r.commit_sha });
  }
  return found;
}

/** Keeps the earliest `commit_created` time of each commit. */
export async function addCommitTimes(
  capabilities: Capabilities,
  db: Db,
  rows: readonly { service: string; commit: string; at: number }[],
): Promise<void> {
  // One row per key: PostgreSQL cannot update a row twice in one statement.
  const values = [
    ...keepPerKey(
      rows,
      (r) => `${r.service}\0${r.commit}`,
      (a, b) => a.at <= b.at,
    ),
  ].map((r) => ({ service: r.service, commit_sha: r.commit, committed_at: r.at }));
  for (const slice of batches(capabilities, values, 3))
    await db
      .insertInto('delivery_commits')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['service', 'commit_sha']).doUpdateSet({
          committed_at: sql`case when excluded.committed_at < delivery_commits.committed_at then excluded.committed_at else delivery_commits.committed_at end`,
        }),
      )
      .execute();
}

/** The first commit time of each of these commits of a service (unknown ones left out). */
export async function findCommitTimes(
  capabilities: Capabilities,
  db: Db,
  service: string,
  shas: readonly string[],
): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  const all = await findCommitTimesOf(
    capabilities,
    db,
    shas.map((commit) => ({ service, commit })),
  );
  for (const [key, at] of all) times.set(key.slice(key.indexOf('\0') + 1), at);
  return times;
}

/** The first commit time of each of these commits, by `service\0commit` (unknown ones left out). */
export async function findCommitTimesOf(
  capabilities: Capabilities,
  db: Db,
  commits: readonly { service: string; commit: string }[],
): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  const pairs = commits.map((c) => ({ service: c.service, value: c.commit }));
  for (const slice of serviceSlices(capabilities, pairs)) {
    const rows = await db
      .selectFrom('delivery_commits')
      .select(['service', 'commit_sha', 'committed_at'])
      .where((eb) =>
        eb.or(
          slice.map(([s, shas]) => eb.and([eb('service', '=', s), eb('commit_sha', 'in', shas)])),
        ),
      )
      .execute();
    for (const r of rows) times.set(`${r.service}\0${r.commit_sha}`, Number(r.committed_at));
  }
  return times;
}

const toIncident = (r: DeliveryIncidentTable): ProjectedIncident => ({
  source: r.source,
  id: r.id,
  service: r.service,
  at: Number(r.opened_at),
  incident: r.incident,
  deployment: r.deployment,
  commit: r.commit_sha,
  target: r.target,
  link: r.link,
});

/** Stores incident openings (known keys are kept), unlinked until `linkIncidents`. */
export async function addIncidents(
  capabilities: Capabilities,
  db: Db,
  incidents: readonly ProjectedIncident[],
): Promise<void> {
  const values = incidents.map((i) => ({
    source: i.source,
    id: i.id,
    service: i.service,
    opened_at: i.at,
    incident: i.incident,
    deployment: i.deployment,
    commit_sha: i.commit,
    target: i.target,
    link: i.link,
  }));
  for (const slice of batches(capabilities, values, 9))
    await db
      .insertInto('delivery_incidents')
      .values(slice)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

/**
 * Sets the deployment each incident links to: one multi-row upsert per statement, in key order
 * (the incidents must be stored already, with distinct keys).
 */
export async function saveIncidentLinks(
  capabilities: Capabilities,
  db: Db,
  incidents: readonly ProjectedIncident[],
): Promise<void> {
  const values = [...incidents]
    .sort((x, y) => (`${x.source}\0${x.id}` < `${y.source}\0${y.id}` ? -1 : 1))
    .map((i) => ({
      source: i.source,
      id: i.id,
      service: i.service,
      opened_at: i.at,
      incident: i.incident,
      deployment: i.deployment,
      commit_sha: i.commit,
      target: i.target,
      link: i.link,
    }));
  for (const slice of batches(capabilities, values, 9))
    await db
      .insertInto('delivery_incidents')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['source', 'id']).doUpdateSet((eb) => ({
          target: eb.ref('excluded.target'),
          link: eb.ref('excluded.link'),
        })),
      )
      .execute();
}

/** Where a change of deployments of one service may move incident links (`findIncidentsToLink`). */
export type IncidentsNear = {
  deployments: readonly string[];
  commits: readonly string[];
  ranges: readonly { from: number; to: number }[];
};

/**
 * The incidents of a service whose link a change of these deployments may move: those that name
 * one of them or one of their commits, and those that name neither and opened in one of `ranges`.
 */
export async function findIncidentsToLink(
  capabilities: Capabilities,
  db: Db,
  service: string,
  near: IncidentsNear,
): Promise<ProjectedIncident[]> {
  return findIncidentsToLinkAny(capabilities, db, new Map([[service, near]]));
}

/** `findIncidentsToLink` for several services at once: a few statements, not a few per service. */
export async function findIncidentsToLinkAny(
  capabilities: Capabilities,
  db: Db,
  nearByService: ReadonlyMap<string, IncidentsNear>,
): Promise<ProjectedIncident[]> {
  const found = new Map<string, ProjectedIncident>();
  const add = (rows: DeliveryIncidentTable[]) => {
    for (const r of rows) found.set(`${r.source}\0${r.id}`, toIncident(r));
  };
  const named = [...nearByService].flatMap(([service, near]) =>
    near.deployments.map((value) => ({ service, value })),
  );
  for (const slice of serviceSlices(capabilities, named))
    add(
      await db
        .selectFrom('delivery_incidents')
        .selectAll()
        .where((eb) =>
          eb.or(
            slice.map(([s, ids]) => eb.and([eb('service', '=', s), eb('deployment', 'in', ids)])),
          ),
        )
        .execute(),
    );
  const carrying = [...nearByService].flatMap(([service, near]) =>
    near.commits.map((value) => ({ service, value })),
  );
  for (const slice of serviceSlices(capabilities, carrying))
    add(
      await db
        .selectFrom('delivery_incidents')
        .selectAll()
        .where((eb) =>
          eb.or(
            slice.map(([s, shas]) => eb.and([eb('service', '=', s), eb('commit_sha', 'in', shas)])),
          ),
        )
        .execute(),
    );
  // At most 100 ranges a statement: SQLite parses an OR list as a tree, 1,000 deep at most.
  const ranges = [...nearByService].flatMap(([service, near]) =>
    near.ranges.map((r) => ({ service, ...r })),
  );
  for (let i = 0; i < ranges.length; i += maxGroupsPerStatement) {
    const slice = ranges.slice(i, i + maxGroupsPerStatement);
    add(
      await db
        .selectFrom('delivery_incidents')
        .selectAll()
        .where('deployment', 'is', null)
        .where('commit_sha', 'is', null)
        .where((eb) =>
          eb.or(
            slice.map((r) =>
              eb.and([
                eb('service', '=', r.service),
                eb('opened_at', '>=', r.from),
                eb('opened_at', '<=', r.to),
              ]),
            ),
          ),
        )
        .execute(),
    );
  }
  return [...found.values()];
}

/** The incidents with these incident ids of their service. */
export async function findIncidentsById(
  capabilities: Capabilities,
  db: Db,
  incidents: readonly { service: string; incident: string }[],
): Promise<ProjectedIncident[]> {
  const found: ProjectedIncident[] = [];
  const pairs = incidents.map((i) => ({ service: i.service, value: i.incident }));
  for (const slice of serviceSlices(capabilities, pairs)) {
    const rows = await db
      .selectFrom('delivery_incidents')
      .selectAll()
      .where((eb) =>
        eb.or(slice.map(([s, ids]) => eb.and([eb('service', '=', s), eb('incident', 'in', ids)]))),
      )
      .execute();
    for (const r of rows) found.push(toIncident(r));
  }
  return found;
}

/** The incidents linked to these production deployments of a service, with their resolutions. */
export async function findLinkedIncidents(
  capabilities: Capabilities,
  db: Db,
  service: string,
  deployments: readonly string[],
): Promise<Map<string, LinkedIncident[]>> {
  const linked = new Map<string, LinkedIncident[]>();
  const all = await findLinkedIncidentsOf(
    capabilities,
    db,
    deployments.map((deployment) => ({ service, deployment })),
  );
  for (const [key, list] of all) linked.set(key.slice(key.indexOf('\0') + 1), list);
  return linked;
}

/**
 * The incidents linked to these production deployments, with their resolutions, by
 * `service\0deployment`.
 */
export async function findLinkedIncidentsOf(
  capabilities: Capabilities,
  db: Db,
  deployments: readonly { service: string; deployment: string }[],
): Promise<Map<string, LinkedIncident[]>> {
  const linked = new Map<string, LinkedIncident[]>();
  const pairs = deployments.map((d) => ({ service: d.service, value: d.deployment }));
  for (const slice of serviceSlices(capabilities, pairs)) {
    const rows = await db
      .selectFrom('delivery_incidents as i')
      .leftJoin('delivery_incident_resolutions as r', (join) =>
        join.onRef('r.service', '=', 'i.service').onRef('r.incident', '=', 'i.incident'),
      )
      .select(['i.service', 'i.target', 'i.opened_at', 'i.link', 'r.resolved_at'])
      .where((eb) =>
        eb.or(
          slice.map(([s, ids]) => eb.and([eb('i.service', '=', s), eb('i.target', 'in', ids)])),
        ),
      )
      .execute();
    for (const r of rows) {
      if (r.target === null || r.link === null) continue;
      const key = `${r.service}\0${r.target}`;
      const list = linked.get(key) ?? [];
      list.push({ opened: Number(r.opened_at), resolved: num(r.resolved_at), link: r.link });
      linked.set(key, list);
    }
  }
  return linked;
}

/** Keeps the latest `incident_resolved` time of each incident. */
export async function addResolutions(
  capabilities: Capabilities,
  db: Db,
  rows: readonly { service: string; incident: string; at: number }[],
): Promise<void> {
  const values = [
    ...keepPerKey(
      rows,
      (r) => `${r.service}\0${r.incident}`,
      (a, b) => a.at >= b.at,
    ),
  ].map((r) => ({ service: r.service, incident: r.incident, resolved_at: r.at }));
  for (const slice of batches(capabilities, values, 3))
    await db
      .insertInto('delivery_incident_resolutions')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['service', 'incident']).doUpdateSet({
          resolved_at: sql`case when excluded.resolved_at > delivery_incident_resolutions.resolved_at then excluded.resolved_at else delivery_incident_resolutions.resolved_at end`,
        }),
      )
      .execute();
}

/** The latest-started deployment of a service in an environment that started at or before `at`. */
export async function findLatestStartedBy(
  db: Db,
  key: { service: string; environment: string },
  at: number,
): Promise<ProjectedDeployment | undefined> {
  const row = await db
    .selectFrom('delivery_deployments')
    .selectAll()
    .where('service', '=', key.service)
    .where('environment', '=', key.environment)
    .where('start_at', '<=', at)
    .orderBy('start_at', 'desc')
    .orderBy('deployment', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : fromDeploymentRow(row);
}

/** Adds to totals (a missing total starts at 0). */
export async function addToTotals(
  capabilities: Capabilities,
  db: Db,
  deltas: readonly DeliveryTotal[],
): Promise<void> {
  const sorted = [...deltas].sort((a, b) =>
    `${a.service}\0${a.environment}\0${a.metric}\0${a.label}` <
    `${b.service}\0${b.environment}\0${b.metric}\0${b.label}`
      ? -1
      : 1,
  );
  for (const slice of batches(capabilities, sorted, 5))
    await db
      .insertInto('delivery_totals')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['service', 'environment', 'metric', 'label']).doUpdateSet({
          value: sql`delivery_totals.value + excluded.value`,
        }),
      )
      .execute();
}

/** Every total, by service, environment, metric and label. */
export async function listTotals(db: Db): Promise<DeliveryTotal[]> {
  const rows = await db
    .selectFrom('delivery_totals')
    .selectAll()
    .orderBy('service')
    .orderBy('environment')
    .orderBy('metric')
    .orderBy('label')
    .execute();
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

/** Every projected deployment, in key order (for tests and comparisons). */
export async function listProjectedDeployments(db: Db): Promise<ProjectedDeployment[]> {
  const rows = await db
    .selectFrom('delivery_deployments')
    .selectAll()
    .orderBy('service')
    .orderBy('environment')
    .orderBy('deployment')
    .execute();
  return rows.map(fromDeploymentRow);
}

/** Every projected incident, in key order (for tests and comparisons). */
export async function listProjectedIncidents(db: Db): Promise<ProjectedIncident[]> {
  const rows = await db
    .selectFrom('delivery_incidents')
    .selectAll()
    .orderBy('source')
    .orderBy('id')
    .execute();
  return rows.map(toIncident);
}

/** Empties every projection table (the ledger is left as it is). */
export async function clearProjections(db: Db): Promise<void> {
  for (const table of [
    'delivery_deployments',
    'delivery_deployment_commits',
    'delivery_commits',
    'delivery_incidents',
    'delivery_incident_resolutions',
    'delivery_totals',
  ] as const)
    await db.deleteFrom(table).execute();
}
