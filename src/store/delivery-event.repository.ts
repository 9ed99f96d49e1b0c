import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DeliveryEventTable } from './schema.ts';

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
