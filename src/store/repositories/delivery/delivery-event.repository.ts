import { sql, type Kysely, type Transaction } from 'kysely';
import type { LedgerEvent } from '../../../core/delivery/dora/compute-dora.ts';
import type { DeliveryEventType } from '../../../core/delivery/delivery-event.ts';
import type { Database, DeliveryEventTable } from '../../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The key of a stored event. */
export type DeliveryEventKey = { source: string; id: string };

/**
 * Stores events, ignoring those whose (source, id) is already stored; returns the keys of the rows
 * it inserted (INSERT … ON CONFLICT DO NOTHING RETURNING). Rows are sorted by key so concurrent
 * writers take locks in the same order. Rows must have distinct keys.
 */
export async function insertDeliveryEvents(
  db: Db,
  rows: readonly DeliveryEventTable[],
): Promise<DeliveryEventKey[]> {
  const sorted = rows
    .slice()
    .sort((a, b) => (a.source + '\0' + a.id < b.source + '\0' + b.id ? -1 : 1));
  const inserted: DeliveryEventKey[] = [];
  for (let i = 0; i < sorted.length; i += 500) {
    const keys = await db
      .insertInto('delivery_events')
      .values(sorted.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['source', 'id']).doNothing())
      .returning(['source', 'id'])
      .execute();
    inserted.push(...keys);
  }
  return inserted;
}

/** The stored events with these keys (absent keys are left out), in no particular order. */
export async function findDeliveryEventsByKey(
  db: Db,
  keys: readonly DeliveryEventKey[],
): Promise<DeliveryEventTable[]> {
  // Grouped by source (a batch rarely has more than a few): `source = ? and id in (…)` uses the
  // primary key on both dialects, where SQLite has no row-value IN list.
  const idsBySource = new Map<string, string[]>();
  for (const key of keys) {
    const ids = idsBySource.get(key.source) ?? [];
    ids.push(key.id);
    idsBySource.set(key.source, ids);
  }
  const found: DeliveryEventTable[] = [];
  for (const [source, ids] of idsBySource) {
    for (let i = 0; i < ids.length; i += 500) {
      found.push(
        ...(await db
          .selectFrom('delivery_events')
          .selectAll()
          .where('source', '=', source)
          .where('id', 'in', ids.slice(i, i + 500))
          .execute()),
      );
    }
  }
  return found;
}

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
    types?: readonly string[] | undefined;
  },
): Promise<DeliveryEventTable[]> {
  let query = db
    .selectFrom('delivery_events')
    .selectAll()
    .where('occurred_at', '>=', options.from)
    .where('occurred_at', '<', options.to)
    .orderBy('occurred_at');
  if (options.service !== undefined) query = query.where('service', '=', options.service);
  if (options.types !== undefined) query = query.where('type', 'in', [...options.types]);
  return query.execute();
}

/** Services with events in from <= occurred < to (ISO), sorted. */
export async function listDeliveryServices(
  db: Db,
  range: { from: string; to: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom('delivery_events')
    .select('service')
    .distinct()
    .where('occurred_at', '>=', range.from)
    .where('occurred_at', '<', range.to)
    .execute();
  return rows.map((r) => r.service).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * One service's events with from <= occurred < to (ISO), optionally of some types, oldest first,
 * as the metrics read them, in chunks: memory holds one chunk, whatever the ledger's size.
 * Ties in time come in no particular order. On SQLite the connection is held until the iteration
 * ends: run no other query of the same store inside the loop.
 */
export async function* streamLedgerEvents(
  db: Kysely<Database>,
  options: { service: string; from: string; to: string; types?: readonly string[] | undefined },
  chunkSize = 2_000,
): AsyncIterable<LedgerEvent[]> {
  let query = db
    .selectFrom('delivery_events')
    .select([
      'type',
      'occurred_at',
      'environment',
      'commit_sha',
      'commits',
      'deployment',
      'incident',
      'result',
      'attributes',
    ])
    .where('service', '=', options.service)
    .where('occurred_at', '>=', options.from)
    .where('occurred_at', '<', options.to)
    .orderBy('occurred_at');
  if (options.types !== undefined) query = query.where('type', 'in', [...options.types]);
  let chunk: LedgerEvent[] = [];
  for await (const row of query.stream(chunkSize)) {
    chunk.push({
      type: row.type as DeliveryEventType,
      at: Date.parse(row.occurred_at),
      service: options.service,
      environment: row.environment,
      commit: row.commit_sha,
      commits: row.commits === null ? null : (JSON.parse(row.commits) as string[]),
      deployment: row.deployment,
      incident: row.incident,
      result: row.result === 'success' || row.result === 'failure' ? row.result : null,
      attributes:
        row.attributes === null ? null : (JSON.parse(row.attributes) as Record<string, unknown>),
    });
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** How many events of each type one service has with from <= occurred < to (ISO). */
export async function countLedgerEventsByType(
  db: Db,
  options: { service: string; from: string; to: string },
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('delivery_events')
    .select(['type', sql<number | string>`count(*)`.as('n')])
    .where('service', '=', options.service)
    .where('occurred_at', '>=', options.from)
    .where('occurred_at', '<', options.to)
    .groupBy('type')
    .execute();
  return new Map(rows.map((r) => [r.type, Number(r.n)]));
}

/**
 * Changes whenever an event or a test report is stored: the row counts and latest receipt times
 * of the ledger and of test reports (for caching what is derived from them).
 */
export async function storeFingerprint(db: Db): Promise<string> {
  const events = await db
    .selectFrom('delivery_events')
    .select([sql<number | string>`count(*)`.as('n'), sql<string | null>`max(received_at)`.as('at')])
    .executeTakeFirstOrThrow();
  const reports = await db
    .selectFrom('test_reports')
    .select([sql<number | string>`count(*)`.as('n'), sql<string | null>`max(ingested_at)`.as('at')])
    .executeTakeFirstOrThrow();
  return `${events.n}/${events.at ?? ''}/${reports.n}/${reports.at ?? ''}`;
}
