import { isDeepStrictEqual } from 'node:util';
import { checklistOf, failingOf } from '../../core/delivery/dora/gate-quality.ts';
import type { LedgerEvent } from '../../core/delivery/dora/ledger-event.ts';
import {
  deliveryEventTypes,
  deploymentEventTypes,
  eventKinds,
  type DeliveryEventType,
} from '../../core/delivery/event-kinds.ts';
import {
  doraDeploymentKeyOf,
  firstPassesOf,
  measureLead,
  passedChecklists,
  replayDeployment,
  stageSpansOf,
  type DoraDeploymentRecord,
  type DoraStageSpan,
  type LeadMeasure,
} from '../../core/delivery/projections/dora-deployment.ts';
import {
  deleteDoraDeployments,
  doraKeyText,
  findCommitTimes,
  findDoraDeployments,
  findDoraDeploymentsAfterCommit,
  findDoraDeploymentsCarrying,
  findDoraDeploymentsSpanning,
  findDoraDeploymentsWithCommit,
  findFirstCommitAfter,
  readCommitTimesBetween,
  insertChecklists,
  insertDoraDeployments,
  insertPolicyFailures,
  readCommitEvents,
  readDeploymentEvents,
  readDoraDeploymentsBefore,
  readDoraDeploymentsFrom,
  replaceStageSpans,
  updateDoraLeads,
  updateDoraPasses,
  dayOf,
  findSpanDaysOf,
  refreshDailyDeployments,
  refreshDailySpans,
  type DoraDay,
  type DoraDeploymentRow,
} from '../../store/repositories/delivery/dora-projection.repository.ts';
import type { StoredDeliveryEvent } from '../../store/repositories/delivery/delivery-event.repository.ts';
import type { Db, Store } from '../../store/open-store.ts';

// Keeps the DORA projections (docs/adr/0044) up to date at ingest: every deployment, change and
// lead time that the new events can change is computed again from its own events in the ledger,
// so any arrival order gives the same rows.

type Key = { service: string; environment: string; deployment: string };

const deploymentTypes: DeliveryEventType[] = deliveryEventTypes.filter((t) =>
  deploymentEventTypes.has(t),
);
const stageTypes: DeliveryEventType[] = deliveryEventTypes.filter(
  (t) => eventKinds[t].stage !== null,
);

const recordFields = [
  'startedAt',
  'team',
  'commit',
  'commits',
  'deployedAt',
  'firstFailure',
  'rollbacksTriggered',
  'rollbacksOk',
  'rework',
] as const satisfies readonly (keyof DoraDeploymentRecord)[];

const sameRecord = (a: DoraDeploymentRecord | undefined, b: DoraDeploymentRecord | undefined) =>
  a === undefined || b === undefined
    ? a === b
    : recordFields.every((field) => isDeepStrictEqual(a[field], b[field]));

/**
 * Folds events just stored in the ledger (and already in `delivery_commits`) into the DORA
 * projections, in the caller's transaction. Throws what the store throws.
 */
export async function projectDoraEvents(
  store: Store,
  db: Db,
  stored: readonly StoredDeliveryEvent[],
  events: readonly LedgerEvent[],
): Promise<void> {
  const byService = new Map<string, number[]>();
  events.forEach((event, i) => {
    const list = byService.get(event.service);
    if (list) list.push(i);
    else byService.set(event.service, [i]);
  });
  for (const [service, indexes] of byService)
    await projectService(
      store,
      db,
      service,
      indexes.map((i) => stored[i] as StoredDeliveryEvent),
      indexes.map((i) => events[i] as LedgerEvent),
    );
}

async function projectService(
  store: Store,
  db: Db,
  service: string,
  stored: readonly StoredDeliveryEvent[],
  events: readonly LedgerEvent[],
): Promise<void> {
  const keys = new Map<string, Key>();
  const stageCommits = new Set<string>();
  const passCommits = new Set<string>();
  const commitEvents: { sha: string; at: number }[] = [];
  const checklists: { service: string; checklist: string }[] = [];
  const failures: Parameters<typeof insertPolicyFailures>[2][number][] = [];
  events.forEach((event, i) => {
    const key = doraDeploymentKeyOf(event);
    if (key !== undefined) keys.set(doraKeyText(key), key);
    if (event.commit === null) return;
    if (eventKinds[event.type].stage !== null) stageCommits.add(event.commit);
    if (event.type === 'commit_created') commitEvents.push({ sha: event.commit, at: event.at });
    if (event.type === 'policy_passed') {
      passCommits.add(event.commit);
      checklists.push({ service, checklist: checklistOf(event) });
    }
    if (event.type === 'policy_failed') {
      const { source, id } = stored[i] as StoredDeliveryEvent;
      failures.push({
        source,
        id,
        service,
        checklist: checklistOf(event),
        commit: event.commit,
        at: event.at,
        failing: failingOf(event),
      });
    }
  });
  await insertChecklists(store, db, checklists);
  await insertPolicyFailures(store, db, failures);
  await projectStageSpans(store, db, service, [...stageCommits]);
  /** The days whose daily sums change: of every deployment row written or removed. */
  const days: DoraDay[] = [];
  const touch = (d: { environment: string; startedAt: number }) =>
    days.push({ service, environment: d.environment, day: dayOf(d.startedAt) });

  // Deployments: each one touched, replayed again from all of its events.
  const old = await findDoraDeployments(store, db, [...keys.values()]);
  const own = new Map<string, LedgerEvent[]>();
  const ids = [...new Set([...keys.values()].map((k) => k.deployment))];
  for (const event of await readDeploymentEvents(store, db, service, ids, deploymentTypes)) {
    const key = doraDeploymentKeyOf(event);
    if (key === undefined || !keys.has(doraKeyText(key))) continue;
    const list = own.get(doraKeyText(key));
    if (list) list.push(event);
    else own.set(doraKeyText(key), [event]);
  }
  const replaced: DoraDeploymentRow[] = [];
  const removed: Key[] = [];
  /** Per environment, the earliest and latest start a changed deployment had or has. */
  const moved = new Map<string, { from: number; through: number }>();
  const widen = (environment: string, at: number) => {
    const range = moved.get(environment);
    if (!range) moved.set(environment, { from: at, through: at });
    else {
      range.from = Math.min(range.from, at);
      range.through = Math.max(range.through, at);
    }
  };
  for (const [text, key] of keys) {
    const before = old.get(text);
    const record = replayDeployment(key, own.get(text) ?? []);
    if (sameRecord(before, record)) continue;
    if (before !== undefined) {
      removed.push(key);
      widen(key.environment, before.startedAt);
      touch(before);
    }
    if (record !== undefined) {
      widen(key.environment, record.startedAt);
      touch(record);
      replaced.push({
        ...record,
        lead: before?.lead ?? { leadMs: null, after: null, own: null },
        previousCommit: before?.previousCommit ?? null,
        passedChecklists: [],
      });
    }
  }
  // Their policy passes, and those of the deployments of commits that just passed.
  const passesOf = await firstPasses(store, db, service, [
    ...replaced.flatMap((d) => (d.commit === null ? [] : [d.commit])),
    ...passCommits,
  ]);
  for (const d of replaced)
    d.passedChecklists =
      d.commit === null ? [] : passedChecklists(d.startedAt, passesOf.get(d.commit) ?? new Map());
  await deleteDoraDeployments(store, db, removed);
  await insertDoraDeployments(store, db, replaced);
  const repassed = (
    await findDoraDeploymentsWithCommit(store, db, service, [...passCommits])
  ).flatMap((d) => {
    const now = passedChecklists(d.startedAt, passesOf.get(d.commit as string) ?? new Map());
    return isDeepStrictEqual(now, d.passedChecklists) ? [] : [{ ...d, passedChecklists: now }];
  });
  await updateDoraPasses(store, db, repassed);
  repassed.forEach(touch);

  // Lead times: after each moved deployment in start order, then those a new commit time moves.
  const context = leadContext(store, db, service);
  for (const [environment, range] of moved)
    (await sweepLeads(store, db, context, { service, environment }, range)).forEach(touch);
  if (commitEvents.length > 0) {
    const shas = commitEvents.map((c) => c.sha);
    const touched = [
      ...(await findDoraDeploymentsCarrying(store, db, service, shas)),
      ...(await findDoraDeploymentsAfterCommit(store, db, service, shas)),
    ];
    for (const at of new Set(commitEvents.map((c) => c.at)))
      touched.push(...(await findDoraDeploymentsSpanning(db, service, at)));
    const distinct = [...new Map(touched.map((d) => [doraKeyText(d), d])).values()];
    await context.prepare(distinct.map((d) => ({ d, previousCommit: d.previousCommit })));
    const changed: DoraDeploymentRow[] = [];
    for (const d of distinct) {
      const lead = await context.measure(d, d.previousCommit);
      if (!isDeepStrictEqual(lead, d.lead)) changed.push({ ...d, lead });
    }
    await updateDoraLeads(store, db, changed);
    changed.forEach(touch);
  }
  await refreshDailyDeployments(store, db, days);
}

/** The commits a lead time reads: the deployment's own and its change's start. */
function shasOf(d: DoraDeploymentRecord, previousCommit: string | null): string[] {
  return [d.commit, ...(d.commits ?? []), previousCommit].filter((s): s is string => s !== null);
}

/** The first pass per checklist of each of these commits, from the ledger. */
async function firstPasses(
  store: Store,
  db: Db,
  service: string,
  shas: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const byCommit = new Map<string, LedgerEvent[]>();
  for (const event of await readCommitEvents(
    store,
    db,
    service,
    [...new Set(shas)],
    ['policy_passed'],
  )) {
    const list = byCommit.get(event.commit as string);
    if (list) list.push(event);
    else byCommit.set(event.commit as string, [event]);
  }
  return new Map([...byCommit].map(([sha, list]) => [sha, firstPassesOf(list)]));
}

/** The stage spans of these commits, computed again from their stage events. */
async function projectStageSpans(
  store: Store,
  db: Db,
  service: string,
  shas: readonly string[],
): Promise<void> {
  if (shas.length === 0) return;
  const byCommit = new Map<string, LedgerEvent[]>(shas.map((sha) => [sha, []]));
  for (const event of await readCommitEvents(store, db, service, shas, stageTypes))
    byCommit.get(event.commit as string)?.push(event);
  const spans = new Map<string, DoraStageSpan[]>();
  for (const [sha, list] of byCommit) spans.set(sha, stageSpansOf(list));
  const days = await findSpanDaysOf(store, db, service, shas);
  for (const list of spans.values())
    for (const s of list)
      days.push({
        service,
        environment: s.environment,
        from: s.from,
        to: s.to,
        day: dayOf(s.endAt),
      });
  await replaceStageSpans(store, db, service, spans);
  await refreshDailySpans(store, db, days);
}

type LeadContext = {
  prefetch(shas: readonly string[]): Promise<void>;
  /** Reads, in a few statements, what the lead times of these deployments need. */
  prepare(
    rows: readonly { d: DoraDeploymentRecord; previousCommit: string | null }[],
  ): Promise<void>;
  measure(d: DoraDeploymentRecord, previousCommit: string | null): Promise<LeadMeasure>;
};

/** Commit times of one service, read once per batch and kept, and the first commit after a time. */
function leadContext(store: Store, db: Db, service: string) {
  const times = new Map<string, number | undefined>();
  const after = new Map<number, number | undefined>();
  /** Every `commit_created` time in (lo, hi], ascending, when `prepare` read them. */
  let known: { lo: number; hi: number; times: number[] } | undefined;
  const firstAfter = (t: number): number | undefined | null => {
    if (after.has(t)) return after.get(t);
    if (known === undefined || t < known.lo || t >= known.hi) return null;
    // The first time after t; none up to hi means none up to the deployment's own commit.
    let low = 0;
    let high = known.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((known.times[middle] as number) > t) high = middle;
      else low = middle + 1;
    }
    return known.times[low];
  };
  return {
    async prefetch(shas: readonly string[]) {
      const missing = [...new Set(shas)].filter((sha) => !times.has(sha));
      const found = await findCommitTimes(store, db, service, missing);
      for (const sha of missing) times.set(sha, found.get(sha));
    },
    async prepare(rows) {
      await this.prefetch(rows.flatMap(({ d, previousCommit }) => shasOf(d, previousCommit)));
      let lo = Infinity;
      let hi = -Infinity;
      for (const { d, previousCommit } of rows) {
        if ((d.commits !== null && d.commits.length > 0) || d.commit === null) continue;
        const own = times.get(d.commit);
        if (own === undefined) continue;
        const start =
          previousCommit === null ? -Infinity : (times.get(previousCommit) ?? -Infinity);
        if (start === -Infinity) {
          if (!after.has(start)) after.set(start, await findFirstCommitAfter(db, service, start));
        } else if (start < own) {
          lo = Math.min(lo, start);
          hi = Math.max(hi, own);
        }
      }
      known =
        lo < hi ? { lo, hi, times: await readCommitTimesBetween(db, service, lo, hi) } : undefined;
    },
    async measure(d: DoraDeploymentRecord, previousCommit: string | null) {
      await this.prefetch(shasOf(d, previousCommit));
      // The first commit after the change's start, read when the lead needs it.
      let needed: number | undefined;
      measureLead(d, previousCommit, {
        timeOf: (sha) => times.get(sha),
        firstCommitAfter: (t) => {
          const found = firstAfter(t);
          if (found === null) needed = t;
          return found ?? undefined;
        },
      });
      if (needed !== undefined) after.set(needed, await findFirstCommitAfter(db, service, needed));
      return measureLead(d, previousCommit, {
        timeOf: (sha) => times.get(sha),
        firstCommitAfter: (t) => firstAfter(t) ?? undefined,
      });
    },
  } satisfies LeadContext;
}

const pageSize = 256;

/**
 * Measures again the lead times a change of start order can move: the deployments from
 * `range.from` on, until two distinct commits have started after `range.through` (a deployment's
 * change starts at the last one before it with another commit, so nothing later can move).
 */
async function sweepLeads(
  store: Store,
  db: Db,
  context: LeadContext,
  scope: { service: string; environment: string },
  range: { from: number; through: number },
): Promise<DoraDeploymentRow[]> {
  // The last two distinct commits before the range, latest first.
  const recent: string[] = [];
  for (let offset = 0; recent.length < 2; offset += 32) {
    const page = await readDoraDeploymentsBefore(store, db, scope, range.from, 32, offset);
    for (const d of page)
      if (d.commit !== null && !recent.includes(d.commit)) recent.push(d.commit);
    if (page.length < 32) break;
  }
  recent.length = Math.min(recent.length, 2);
  const tail = new Set<string>();
  const changed: DoraDeploymentRow[] = [];
  let last: DoraDeploymentRow | undefined;
  for (;;) {
    const page = await readDoraDeploymentsFrom(store, db, scope, range.from, pageSize, last);
    await context.prefetch([
      ...recent,
      ...page.flatMap((d) => [d.commit, ...(d.commits ?? [])].filter((s) => s !== null)),
    ]);
    // The change start of each, in start order, then their lead times from one read.
    const rows: { d: DoraDeploymentRow; previousCommit: string | null }[] = [];
    for (const d of page) {
      if (tail.size >= 2) break;
      rows.push({ d, previousCommit: (recent[0] !== d.commit ? recent[0] : recent[1]) ?? null });
      if (d.commit !== null) {
        const at = recent.indexOf(d.commit);
        if (at >= 0) recent.splice(at, 1);
        recent.unshift(d.commit);
        recent.length = Math.min(recent.length, 2);
        if (d.startedAt > range.through) tail.add(d.commit);
      }
      last = d;
    }
    await context.prepare(rows);
    for (const { d, previousCommit } of rows) {
      const lead = await context.measure(d, previousCommit);
      if (!isDeepStrictEqual(lead, d.lead) || previousCommit !== d.previousCommit)
        changed.push({ ...d, lead, previousCommit });
    }
    if (tail.size >= 2 || page.length < pageSize) break;
  }
  await updateDoraLeads(store, db, changed);
  return changed;
}
