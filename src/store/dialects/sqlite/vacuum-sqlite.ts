import { sql, type Kysely } from 'kysely';
import type { Database } from '../../tables/database.ts';
import type { VacuumOutcome } from '../store-dialect.ts';
import { sqlitePageSize } from './node-sqlite-dialect.ts';

/** One value a pragma returns (its one row's one column). */
async function pragma(db: Kysely<Database>, statement: string): Promise<unknown> {
  const { rows } = await sql.raw<Record<string, unknown>>(`pragma ${statement}`).execute(db);
  const row = rows[0];
  return row === undefined ? undefined : Object.values(row)[0];
}

/**
 * `VACUUM` of a SQLite store (docs/adr/0055): the file rebuilt without free pages, in the page
 * size a new file gets. A WAL file can change its page size only outside WAL mode, so the journal
 * is switched off for the rebuild and back on after it; both need the file to themselves, so
 * another process holding the store open makes this fail with SQLITE_BUSY, before anything
 * changed. Throws what SQLite throws.
 */
export async function vacuumSqlite(db: Kysely<Database>): Promise<VacuumOutcome> {
  const size = async () => {
    const pageSize = Number(await pragma(db, 'page_size'));
    return { pageSize, bytes: pageSize * Number(await pragma(db, 'page_count')) };
  };
  const before = await size();
  const tables = (await db.introspection.getTables()).filter((table) => !table.isView);
  const journal = String(await pragma(db, 'journal_mode'));
  const wal = journal.toLowerCase() === 'wal';
  if (wal) {
    const switched = String(await pragma(db, 'journal_mode = delete'));
    if (switched.toLowerCase() === 'wal') {
      throw new Error('the store file is open in another process: SQLite kept its WAL journal');
    }
  }
  try {
    await pragma(db, `page_size = ${sqlitePageSize}`);
    await sql`vacuum`.execute(db);
  } catch (error) {
    // Back to WAL if it can be (the next open sets it anyway); the vacuum's error is the news.
    if (wal) await pragma(db, 'journal_mode = wal').catch(() => undefined);
    throw error;
  }
  if (wal) await pragma(db, 'journal_mode = wal');
  const after = await size();
  if (after.pageSize !== sqlitePageSize) {
    // Another process opened the file between the journal switch and the rebuild, and put it
    // back in WAL mode, where the page size cannot change.
    throw new Error(
      `the store file was opened by another process during the vacuum: its pages stayed at ${after.pageSize} bytes`,
    );
  }
  return {
    tables: tables.length,
    bytesBefore: before.bytes,
    bytesAfter: after.bytes,
    pageSize: { before: before.pageSize, after: after.pageSize },
  };
}
