import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DeliveryEventTable } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Stores events, ignoring those whose (source, id) is already stored; returns how many were new.
 * Rows are sorted by key so concurrent writers take locks in the same order.
 */
export async function insertDeliveryEvents(db: Db, rows: DeliveryEventTable[]): Promise<number> {
  const sorted = rows
    .slice()
    .sort((a, b) => (a.source + '\0' + a.id < b.source + '\0' + b.id ? -1 : 1));
  let stored = 0;
  for (let i = 0; i < sorted.length; i += 500) {
    const result = await db
      .insertInto('delivery_events')
      .values(sorted.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['source', 'id']).doNothing())
      .executeTakeFirst();
    stored += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return stored;
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
