import { sql, type Kysely } from 'kysely';
import type { Database } from '../../tables/database.ts';
import type { VacuumOutcome } from '../store-dialect.ts';

/** Bytes of the store's tables with their indexes and TOAST, in its schema. */
async function storeBytes(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ bytes: string | null }>`
    select sum(pg_total_relation_size(c.oid))::text as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r'`.execute(db);
  return Number(rows[0]?.bytes ?? 0);
}

/**
 * `VACUUM (ANALYZE)` of each table of the store's schema (the introspector lists only those),
 * one statement per table, outside a transaction: dead rows' space is made reusable and the
 * planner's statistics refreshed. The file does not shrink (autovacuum does the same in the
 * background; `VACUUM FULL` would lock every table). Throws what PostgreSQL throws.
 */
export async function vacuumPostgres(db: Kysely<Database>): Promise<VacuumOutcome> {
  const bytesBefore = await storeBytes(db);
  const tables = (await db.introspection.getTables()).filter((table) => !table.isView);
  for (const table of tables) {
    await sql`vacuum (analyze) ${sql.table(table.name)}`.execute(db);
  }
  return { tables: tables.length, bytesBefore, bytesAfter: await storeBytes(db) };
}
