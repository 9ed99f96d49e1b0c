import { sql, type Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * The days of the recent daily stats in a table of their own (docs/adr/0055):
 * `test_daily_recent_days`, one row per day `test_daily_recent` holds, written and deleted with
 * those rows. It replaces the index on `test_daily_recent (day)`, which every first ingest of a
 * day wrote an entry to per test (100k entries for a 100k-test suite) only so that an ingest
 * could ask which days wait to be settled, and the flaky report whether its window holds any.
 * Each step checks what is done, so a migration stopped half-way (SQLite runs DDL outside a
 * transaction) is finished by running it again.
 */
export const recentDaysMigration: StoreMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('test_daily_recent_days')
      .ifNotExists()
      .addColumn('day', 'text', (c) => c.primaryKey())
      .execute();
    // While the index on day is there, finding the stored days reads it, not the table.
    await sql`insert into test_daily_recent_days (day)
      select distinct day from test_daily_recent
      where day not in (select day from test_daily_recent_days)`.execute(db);
    await db.schema.dropIndex('test_daily_recent_day').ifExists().execute();
  },
};
