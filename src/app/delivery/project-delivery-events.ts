import { isDeepStrictEqual } from 'node:util';
import type { LedgerEvent } from '../../core/delivery/dora/ledger-event.ts';
import {
  deploymentKeyOf,
  emptyDeploymentFacts,
  environmentOf,
  foldDeploymentEvent,
  startOf,
  type DeploymentFacts,
} from '../../core/delivery/projections/deployment-facts.ts';
import {
  chooseIncidentTarget,
  diffMeasures,
  measureDeployment,
  noMeasure,
} from '../../core/delivery/projections/measure-deployment.ts';
import { DoraQuery } from '../../contracts/queries.ts';
import {
  addCommitTimes,
  addDeploymentCommits,
  addIncidents,
  addResolutions,
  addToTotals,
  clearProjections,
  deploymentKeyText,
  findCommitTimesOf,
  findDeploymentsCarryingAny,
  findIncidentsById,
  findIncidentsToLinkAny,
  findLatestStartedBy,
  findLinkedIncidentsOf,
  findProjectedDeployments,
  saveIncidentLinks,
  saveProjectedDeployments,
  type DeliveryTotal,
  type IncidentsNear,
  type ProjectedDeployment,
  type ProjectedIncident,
} from '../../store/repositories/delivery/delivery-projection.repository.ts';
import {
  readLedgerPage,
  type StoredDeliveryEvent,
} from '../../store/repositories/delivery/delivery-event.repository.ts';
import { retryWrites, type Db, type Store } from '../../store/open-store.ts';
import {
  clearDoraProjections,
  setDoraProjectionReady,
} from '../../store/repositories/delivery/dora-projection.repository.ts';
import { projectDoraEvents } from './project-dora-events.ts';

/**
 * The incident window of the projections and `/metrics`: `candor dora`'s default (24 h). An
 * inferred link farther than this is never made; an explicit one counts whatever its delay.
 */
export const projectionIncidentWindowMs: number = DoraQuery.parse({}).incidentWindowMs;

/** The environment incidents link in (DEFINITIONS.md "Prometheus"). */
const production = 'production';

type Key = { service: string; environment: string; deployment: string };

/** An event of the ledger as the metrics see it. */
export function toLedgerEvent(event: StoredDeliveryEvent): LedgerEvent {
  return {
    type: event.type,
    at: Date.parse(event.occurredAt),
    service: event.service,
    environment: event.environment ?? null,
    commit: event.commit ?? null,
    commits: event.commits ?? null,
    deployment: event.deployment ?? null,
    incident: event.incident ?? null,
    result: event.result ?? null,
    attributes: event.attributes ?? null,
  };
}

/**
 * Folds events just stored in the ledger into the delivery projections (docs/adr/0018), in the
 * caller's transaction: each deployment's facts, commit times, incidents and their links,
 * resolutions, then the measure of every deployment these touched and the lifetime totals by
 * what its measure changed. Order-independent: any order of the same events gives the same
 * rows. Events must be new to the ledger (a repeat would count twice in `rollbacks`). Throws what
 * the store throws.
 */
export async function projectDeliveryEvents(
  store: Store,
  db: Db,
  stored: readonly StoredDeliveryEvent[],
): Promise<void> {
  if (stored.length === 0) return;
  const caps = store.capabilities;
  await caps.serializeWriters(db);
  const events = stored.map(toLedgerEvent);
  const cache = new Map<string, ProjectedDeployment>();
  const toMeasure = new Map<string, Key>();
  const totals: DeliveryTotal[] = [];

  // Deployments: fold each one's new events into its facts.
  const groups = new Map<string, { key: Key; events: LedgerEvent[] }>();
  for (const event of events) {
    const key = deploymentKeyOf(event);
    if (key === undefined) continue;
    const text = deploymentKeyText(key);
    const group = groups.get(text);
    if (group) group.events.push(event);
    else groups.set(text, { key, events: [event] });
  }
  const known = await findProjectedDeployments(
    caps,
    db,
    [...groups.values()].map((g) => g.key),
  );
  const moved: { facts: DeploymentFacts; before: DeploymentFacts }[] = [];
  const commitsOf: { service: string; commit: string; environment: string; deployment: string }[] =
    [];
  for (const [text, { key, events: own }] of groups) {
    const before = known.get(text) ?? { facts: emptyDeploymentFacts(key), measure: noMeasure };
    const facts = own.reduce(foldDeploymentEvent, before.facts);
    if (isDeepStrictEqual(facts, before.facts)) continue;
    cache.set(text, { facts, measure: before.measure });
    toMeasure.set(text, key);
    const startMoved = startOf(facts) !== startOf(before.facts);
    const commitsMoved =
      facts.commit !== before.facts.commit ||
      !isDeepStrictEqual(facts.commits, before.facts.commits);
    if (key.environment === production && (startMoved || commitsMoved))
      moved.push({ facts, before: before.facts });
    if (commitsMoved)
      for (const commit of new Set([facts.commit, ...(facts.commits ?? [])]))
        if (commit !== null) commitsOf.push({ ...key, commit });
  }
  await saveProjectedDeployments(caps, db, [...cache.values()]);
  await addDeploymentCommits(caps, db, commitsOf);

  for (const event of events)
    if (event.type === 'rollback_finished')
      totals.push({
        service: event.service,
        environment: environmentOf(event),
        metric: 'rollbacks',
        label: event.result ?? 'success',
        value: 1,
      });

  // Commit times: the deployments carrying a commit get its time.
  const commits = events.filter((e) => e.type === 'commit_created' && e.commit !== null);
  await addCommitTimes(
    caps,
    db,
    commits.map((e) => ({ service: e.service, commit: e.commit as string, at: e.at })),
  );
  for (const key of await findDeploymentsCarryingAny(
    caps,
    db,
    commits.map((e) => ({ service: e.service, commit: e.commit as string })),
  ))
    toMeasure.set(deploymentKeyText(key), key);

  // Incidents: new openings to link, resolutions to pass on to linked deployments.
  const opened: ProjectedIncident[] = stored
    .filter((e) => e.type === 'incident_opened')
    .map((e) => ({
      source: e.source,
      id: e.id,
      service: e.service,
      at: Date.parse(e.occurredAt),
      incident: e.incident ?? null,
      deployment: e.deployment ?? null,
      commit: e.commit ?? null,
      target: null,
      link: null,
    }));
  await addIncidents(caps, db, opened);
  const resolved = events.filter((e) => e.type === 'incident_resolved' && e.incident !== null);
  await addResolutions(
    caps,
    db,
    resolved.map((e) => ({ service: e.service, incident: e.incident as string, at: e.at })),
  );
  for (const incident of await findIncidentsById(
    caps,
    db,
    resolved.map((e) => ({ service: e.service, incident: e.incident as string })),
  ))
    if (incident.target !== null) {
      const key = {
        service: incident.service,
        environment: production,
        deployment: incident.target,
      };
      toMeasure.set(deploymentKeyText(key), key);
    }

  // Links: new incidents, and those a moved deployment may now take or give up.
  const toLink = new Map<string, ProjectedIncident>();
  for (const incident of opened) toLink.set(`${incident.source}\0${incident.id}`, incident);
  const nearByService = new Map<string, IncidentsNear>();
  for (const [service, list] of groupBy(
    moved,
    (m) => m.facts.service,
    (m) => m,
  )) {
    const deployments = list.map((m) => m.facts.deployment);
    // The commits they carried before too: an incident naming one of those may have to leave.
    const shas = list.flatMap(({ facts, before }) => [
      facts.commit,
      ...(facts.commits ?? []),
      before.commit,
      ...(before.commits ?? []),
    ]);
    // Unnamed incidents an inference may move: within the incident window after each start.
    const ranges = list.map(({ facts, before }) => {
      const from = Math.min(startOf(facts) ?? Infinity, startOf(before) ?? Infinity);
      return { from, to: from + projectionIncidentWindowMs };
    });
    nearByService.set(service, {
      deployments,
      commits: [...new Set(shas.filter((c): c is string => c !== null))],
      ranges: mergeRanges(ranges),
    });
  }
  for (const incident of await findIncidentsToLinkAny(caps, db, nearByService))
    toLink.set(`${incident.source}\0${incident.id}`, incident);
  const relinked: ProjectedIncident[] = [];
  const targets = await linkTargets(store, db, [...toLink.values()]);
  for (const incident of toLink.values()) {
    const chosen = targets.get(`${incident.source}\0${incident.id}`);
    const target = chosen?.target.deployment ?? null;
    const link = chosen?.link ?? null;
    if (target === incident.target && link === incident.link) continue;
    relinked.push({ ...incident, target, link });
    for (const deployment of [incident.target, target])
      if (deployment !== null)
        toMeasure.set(
          deploymentKeyText({ service: incident.service, environment: production, deployment }),
          { service: incident.service, environment: production, deployment },
        );
  }
  await saveIncidentLinks(caps, db, relinked);

  // Measures: every deployment touched, and what its new measure changes in the totals.
  const missing = [...toMeasure].filter(([text]) => !cache.has(text)).map(([, key]) => key);
  for (const [text, deployment] of await findProjectedDeployments(caps, db, missing))
    cache.set(text, deployment);
  const remeasured: ProjectedDeployment[] = [];
  const deployments = [...toMeasure.keys()]
    .map((text) => cache.get(text))
    .filter((d) => d !== undefined);
  // One read of commit times and one of linked incidents for every deployment touched.
  const times = await findCommitTimesOf(
    caps,
    db,
    deployments.flatMap(({ facts }) =>
      [facts.commit, ...(facts.commits ?? [])].flatMap((commit) =>
        commit === null ? [] : [{ service: facts.service, commit }],
      ),
    ),
  );
  const linked = await findLinkedIncidentsOf(
    caps,
    db,
    deployments.filter((d) => d.facts.environment === production).map((d) => d.facts),
  );
  for (const d of deployments) {
    const { service } = d.facts;
    const measure = measureDeployment(d.facts, {
      commitTime: (sha) => times.get(`${service}\0${sha}`),
      incidents:
        d.facts.environment === production
          ? (linked.get(`${service}\0${d.facts.deployment}`) ?? [])
          : [],
      incidentWindowMs: projectionIncidentWindowMs,
    });
    const changes = diffMeasures(d.measure, measure);
    if (changes.length === 0) continue;
    remeasured.push({ facts: d.facts, measure });
    for (const change of changes)
      totals.push({ service, environment: d.facts.environment, ...change });
  }
  await saveProjectedDeployments(caps, db, remeasured);
  await addToTotals(caps, db, sumTotals(totals));
  await projectDoraEvents(store, db, stored, events);
}

/**
 * The production deployment each incident links to now (DEFINITIONS.md), from the projection, by
 * `source\0id` (absent: unlinked). The deployments named and those carrying a named commit are
 * read for all incidents at once; the latest start before an unnamed one, per incident.
 */
async function linkTargets(
  store: Store,
  db: Db,
  incidents: readonly ProjectedIncident[],
): Promise<Map<string, ReturnType<typeof chooseIncidentTarget>>> {
  const caps = store.capabilities;
  const inProduction = (service: string, deployment: string) => ({
    service,
    environment: production,
    deployment,
  });
  const carriers = await findDeploymentsCarryingAny(
    caps,
    db,
    incidents.flatMap((i) => (i.commit === null ? [] : [{ service: i.service, commit: i.commit }])),
  );
  const carrying = new Map<string, Key[]>();
  for (const c of carriers) {
    if (c.environment !== production) continue;
    const key = `${c.service}\0${c.commit}`;
    const list = carrying.get(key) ?? [];
    list.push(c);
    carrying.set(key, list);
  }
  const deployments = await findProjectedDeployments(caps, db, [
    ...incidents.flatMap((i) =>
      i.deployment === null ? [] : [inProduction(i.service, i.deployment)],
    ),
    ...[...carrying.values()].flat(),
  ]);
  const chosen = new Map<string, ReturnType<typeof chooseIncidentTarget>>();
  for (const incident of incidents) {
    const named =
      incident.deployment === null
        ? undefined
        : deployments.get(deploymentKeyText(inProduction(incident.service, incident.deployment)))
            ?.facts;
    const commit = incident.commit;
    const carryingCommit =
      commit === null
        ? []
        : (carrying.get(`${incident.service}\0${commit}`) ?? [])
            .map((key) => deployments.get(deploymentKeyText(key))?.facts)
            // A deployment's commit can change (its earliest event decides): check it still carries it.
            .filter(
              (d): d is DeploymentFacts =>
                d !== undefined && (d.commit === commit || (d.commits ?? []).includes(commit)),
            );
    const latest =
      incident.deployment === null && incident.commit === null
        ? (
            await findLatestStartedBy(
              db,
              { service: incident.service, environment: production },
              incident.at,
            )
          )?.facts
        : undefined;
    chosen.set(
      `${incident.source}\0${incident.id}`,
      chooseIncidentTarget(
        incident,
        { named, carryingCommit, latestStartedBy: latest },
        projectionIncidentWindowMs,
      ),
    );
  }
  return chosen;
}

/** Overlapping ranges joined, in order. */
function mergeRanges(ranges: readonly { from: number; to: number }[]) {
  const merged: { from: number; to: number }[] = [];
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    const last = merged.at(-1);
    if (last !== undefined && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else merged.push({ ...r });
  }
  return merged;
}

/** Values grouped by a key, mapped (insertion order). */
function groupBy<T, V>(
  values: readonly T[],
  keyOf: (value: T) => string,
  map: (value: T) => V,
): Map<string, V[]> {
  const grouped = new Map<string, V[]>();
  for (const value of values) {
    const key = keyOf(value);
    const list = grouped.get(key);
    if (list) list.push(map(value));
    else grouped.set(key, [map(value)]);
  }
  return grouped;
}

/** Changes to one total added up (one row per total in the statement). */
function sumTotals(changes: readonly DeliveryTotal[]): DeliveryTotal[] {
  const sums = new Map<string, DeliveryTotal>();
  for (const c of changes) {
    const key = `${c.service}\0${c.environment}\0${c.metric}\0${c.label}`;
    const sum = sums.get(key);
    if (sum) sum.value += c.value;
    else sums.set(key, { ...c });
  }
  return [...sums.values()];
}

/** How many ledger events a rebuild folds per transaction step. */
const rebuildPageSize = 5_000;

/**
 * `candor db rebuild`: empties the delivery projections and folds the whole ledger into them
 * again, in one transaction (readers see the old projections until it commits). The ledger is
 * the source of truth and is left as it is. Returns how many events were folded. Throws what the
 * store throws.
 */
export async function rebuildDeliveryProjections(store: Store): Promise<{ events: number }> {
  return retryWrites(store, () =>
    store.db.transaction().execute(async (trx) => {
      await store.capabilities.serializeWriters(trx);
      await clearProjections(trx);
      await clearDoraProjections(trx);
      let events = 0;
      let after: { source: string; id: string; occurredAt: string } | undefined;
      for (;;) {
        const page = await readLedgerPage(trx, after, rebuildPageSize);
        if (page.length === 0) break;
        await projectDeliveryEvents(store, trx, page);
        events += page.length;
        const last = page[page.length - 1] as StoredDeliveryEvent;
        // Read back normalised, so it compares as stored.
        after = { source: last.source, id: last.id, occurredAt: last.occurredAt };
      }
      await setDoraProjectionReady(trx, true);
      return { events };
    }),
  );
}
