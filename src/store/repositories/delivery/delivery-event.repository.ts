import { sql, type InferResult } from 'kysely';
import type { LedgerEvent } from '../../../core/delivery/dora/compute-dora.ts';
import type { DeliveryEvent } from '../../../core/delivery/delivery-event.ts';
import type { DeliveryEventType } from '../../../core/delivery/event-kinds.ts';
import { batches } from '../../lib/batches.ts';
import type { Store } from '../../open-store.ts';
import type { Db } from '../../tables/database.ts';
import type { DeliveryEventTable } from '../../tables/delivery-event.table.ts';

/** The key of a stored event. */
export type DeliveryEventKey = { source: string; id: string };

/**
 * An event as the ledger keeps it: its key resolved (the default source, a derived id) and when
 * candor received it. Read back, `occurredAt` is normalised ISO-8601 UTC (`toISOString`).
 */
export type StoredDeliveryEvent = Omit<DeliveryEvent, 'source' | 'id'> &
  DeliveryEventKey & { receivedAt: string };

const columnCount = 13;

function toRow(event: StoredDeliveryEvent): DeliveryEventTable {
  return {
    source: event.source,
    id: event.id,
    type: event.type,
    occurred_at: new Date(event.occurredAt).toISOString(),
    received_at: event.receivedAt,
    service: event.service,
    environment: event.environment ?? null,
    commit_sha: event.commit ?? null,
    commits: event.commits === undefined ? null : JSON.stringify(event.commits),
    deployment: event.deployment ?? null,
    incident: event.incident ?? null,
    result: event.result ?? null,
    attributes: event.attributes === undefined ? null : JSON.stringify(event.attributes),
  };
}

function fromRow(row: DeliveryEventTable): StoredDeliveryEvent {
  return {
    source: row.source,
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at,
    receivedAt: row.received_at,
    service: row.service,
    ...(row.environment !== null ? { environment: row.environment } : {}),
    ...(row.commit_sha !== null ? { commit: row.commit_sha } : {}),
    ...(row.commits !== null ? { commits: JSON.parse(row.commits) as string[] } : {}),
    ...(row.deployment !== null ? { deployment: row.deployment } : {}),
    ...(row.incident !== null ? { incident: row.incident } : {}),
    ...(row.result !== null ? { result: row.result } : {}),
    ...(row.attributes !== null
      ? { attributes: JSON.parse(row.attributes) as Record<string, unknown> }
      : {}),
  };
}

/**
 * Stores events, ignoring those whose (source, id) is already stored; returns the keys of the rows
 * it inserted (INSERT … ON CONFLICT DO NOTHING RETURNING). Rows are sorted by key so concurrent
 * writers take locks in the same order. Events must have distinct keys.
 */
export async function insertDeliveryEvents(
  store: Store,
  db: Db,
  events: readonly StoredDeliveryEvent[],
): Promise<DeliveryEventKey[]> {
  const sorted = events
    .map(toRow)
    .sort((a, b) => (a.source + '\0' + a.id < b.source + '\0' + b.id ? -1 : 1));
  const inserted: DeliveryEventKey[] = [];
  for (const rows of batches(store.capabilities, sorted, columnCount)) {
    const keys = await db
      .insertInto('delivery_events')
      .values(rows)
      .onConflict((oc) => oc.columns(['source', 'id']).doNothing())
      .returning(['source', 'id'])
      .execute();
    inserted.push(...keys);
  }
  return inserted;
}

/** The stored events with these keys (absent keys are left out), in no particular order. */
export async function findDeliveryEventsByKey(
  store: Store,
  db: Db,
  keys: readonly DeliveryEventKey[],
): Promise<StoredDeliveryEvent[]> {
  // Grouped by source (a batch rarely has more than a few): `source = ? and id in (…)` uses the
  // primary key on both dialects, where SQLite has no row-value IN list.
  const idsBySource = new Map<string, string[]>();
  for (const key of keys) {
    const ids = idsBySource.get(key.source) ?? [];
    ids.push(key.id);
    idsBySource.set(key.source, ids);
  }
  const found: StoredDeliveryEvent[] = [];
  for (const [source, sourceIds] of idsBySource) {
    for (const ids of batches(store.capabilities, sourceIds, 1, 1)) {
      const rows = await db
        .selectFrom('delivery_events')
        .selectAll()
        .where('source', '=', source)
        .where('id', 'in', ids)
        .execute();
      for (const row of rows) found.push(fromRow(row));
    }
  }
  return found;
}

/** How many events the ledger holds. */
export async function countDeliveryEvents(db: Db): Promise<number> {
  const row = await db
    .selectFrom('delivery_events')
    .select(sql<number | string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Events with from <= occurred < to (ISO), optionally of one service and some types, oldest first. */
export async function findDeliveryEvents(
  db: Db,
  options: {
    from: string;
    to: string;
    service?: string | undefined;
    types?: readonly DeliveryEventType[] | undefined;
  },
): Promise<StoredDeliveryEvent[]> {
  let query = db
    .selectFrom('delivery_events')
    .selectAll()
    .where('occurred_at', '>=', options.from)
    .where('occurred_at', '<', options.to)
    .orderBy('occurred_at');
  if (options.service !== undefined) query = query.where('service', '=', options.service);
  if (options.types !== undefined) query = query.where('type', 'in', [...options.types]);
  return (await query.execute()).map(fromRow);
}

/**
 * A range of occurrence times, ISO-8601 (`from` included, `to` not); a missing end is open: no
 * sentinel string is needed, which would sort differently under a PostgreSQL collation.
 */
export type LedgerRange = { from?: string | undefined; to?: string | undefined };

/** The query limited to the range (both ends optional). */
function inRange<Q extends { where: (...args: never[]) => Q }>(query: Q, range: LedgerRange): Q {
  let q = query as unknown as {
    where(column: 'occurred_at', op: '>=' | '<', value: string): typeof q;
  };
  if (range.from !== undefined) q = q.where('occurred_at', '>=', range.from);
  if (range.to !== undefined) q = q.where('occurred_at', '<', range.to);
  return q as unknown as Q;
}

/**
 * Services with events in from <= occurred < to (ISO), sorted. Walks the distinct services by the
 * (service, occurred_at) index, one seek each, and asks each whether it has an event in the
 * range: a few seeks per service, where a DISTINCT over the range reads every event in it.
 */
export async function listDeliveryServices(db: Db, range: LedgerRange): Promise<string[]> {
  const services: string[] = [];
  for (let after: string | undefined; ;) {
    let next = db.selectFrom('delivery_events').select('service').orderBy('service').limit(1);
    if (after !== undefined) next = next.where('service', '>', after);
    const row = await next.executeTakeFirst();
    if (row === undefined) break;
    after = row.service;
    const found = await inRange(
      db.selectFrom('delivery_events').select('service').where('service', '=', row.service),
      range,
    )
      .limit(1)
      .executeTakeFirst();
    if (found !== undefined) services.push(row.service);
  }
  return services.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** How many events one service has in from <= occurred < to (ISO): an index-only count. */
export async function countServiceEvents(
  db: Db,
  options: { service: string } & LedgerRange,
): Promise<number> {
  const row = await inRange(
    db
      .selectFrom('delivery_events')
      .select(sql<number | string>`count(*)`.as('n'))
      .where('service', '=', options.service),
    options,
  ).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * One service's events with from <= occurred < to (ISO), optionally of some types, oldest first,
 * as the metrics read them, in chunks: memory holds one chunk, whatever the ledger's size.
 * Ties in time come in no particular order. On SQLite the connection is held until the iteration
 * ends: run no other query of the same store inside the loop.
 */
export async function* streamLedgerEvents(
  db: Db,
  options: {
    service: string;
    types?: readonly DeliveryEventType[] | undefined;
  } & LedgerRange,
  chunkSize = 2_000,
): AsyncIterable<LedgerEvent[]> {
  // The columns are named as the event's fields, so each row becomes its event in place.
  let query = inRange(
    db
      .selectFrom('delivery_events')
      .select([
        'type',
        'occurred_at as at',
        'service',
        'environment',
        'commit_sha as commit',
        'commits',
        'deployment',
        'incident',
        'result',
        'attributes',
      ])
      .where('service', '=', options.service),
    options,
  ).orderBy('occurred_at');
  if (options.types !== undefined) query = query.where('type', 'in', [...options.types]);
  type Row = InferResult<typeof query>[number];
  // The executor's chunks, not `query.stream()`, which yields row by row (a promise per row), and
  // the rows turned into events in place, not copied: on a large ledger reading costs more than
  // the replay itself, and each object per event counts (docs/adr/0037).
  for await (const result of db.getExecutor().stream(query.compile(), chunkSize)) {
    const rows = result.rows as Row[];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Row;
      const event = row as unknown as Record<keyof LedgerEvent, unknown>;
      event.at = Date.parse(row.at);
      if (row.commits !== null) event.commits = JSON.parse(row.commits) as string[];
      if (row.attributes !== null)
        event.attributes = JSON.parse(row.attributes) as Record<string, unknown>;
    }
    if (rows.length > 0) yield rows as unknown as LedgerEvent[];
  }
}

/** How many events of each type one service has with from <= occurred < to (ISO). */
export async function countLedgerEventsByType(
  db: Db,
  options: { service: string } & LedgerRange,
): Promise<Map<DeliveryEventType, number>> {
  const rows = await inRange(
    db
      .selectFrom('delivery_events')
      .select(['type', sql<number | string>`count(*)`.as('n')])
      .where('service', '=', options.service),
    options,
  )
    .groupBy('type')
    .execute();
  return new Map(rows.map((r) => [r.type, Number(r.n)]));
}

/** Report numbers below the largest that a late commit can still take and be seen by. */
const lateReportNumbers = 10_000;

/**
 * Changes whenever a test report is stored (for caching what is derived from them), at the cost
 * of two look-ups in the index of report numbers, whatever the number of reports: the largest
 * number, and how many reports hold one of the `lateReportNumbers` below it, so a transaction
 * that took its number before another and commits after it still changes the value. (A count of
 * every report, which it replaced, scanned the table at each scrape of `/metrics`.) The delivery
 * metrics need no such key: their totals are read at each scrape (docs/adr/0018).
 */
export async function storeFingerprint(db: Db): Promise<string> {
  const top = await db
    .selectFrom('test_reports')
    .select(sql<number | string | null>`max(seq)`.as('seq'))
    .executeTakeFirstOrThrow();
  if (top.seq === null) return 'none';
  const recent = await db
    .selectFrom('test_reports')
    .select(sql<number | string>`count(*)`.as('n'))
    .where('seq', '>', Number(top.seq) - lateReportNumbers)
    .executeTakeFirstOrThrow();
  return `${top.seq}/${recent.n}`;
}

/**
 * Up to `limit` stored events after `after` in (occurred, source, id) order (all from the first
 * when absent): the ledger page by page in time order, for rebuilding what is derived from it.
 */
export async function readLedgerPage(
  db: Db,
  after: (DeliveryEventKey & { occurredAt: string }) | undefined,
  limit: number,
): Promise<StoredDeliveryEvent[]> {
  let query = db.selectFrom('delivery_events').selectAll();
  if (after !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb('occurred_at', '>', after.occurredAt),
        eb.and([
          eb('occurred_at', '=', after.occurredAt),
          eb.or([
            eb('source', '>', after.source),
            eb.and([eb('source', '=', after.source), eb('id', '>', after.id)]),
          ]),
        ]),
      ]),
    );
  const rows = await query
    .orderBy('occurred_at')
    .orderBy('source')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}
