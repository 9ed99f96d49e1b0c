import { sql, type Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/** What the executions table is rebuilt as, before it takes the old one's name. */
const rebuilt = 'test_executions_numbered';

/** The columns both tables share, in order. */
const kept = [
  'test_id',
  'status',
  'duration_ms',
  'attempt_count',
  'failed_attempts',
  'attempts',
  'started_at',
  'properties',
] as const;

/**
 * Executions name their report by its number (docs/adr/0052): `test_reports.seq`, an integer
 * the database hands out (`rowNumbers`), replaces the report's and the run's 36-character ids in
 * every execution row and in the indexes over them; a run's executions are its reports'. The
 * row, its test-order index and its report index are about half as large, and the index on the
 * run is gone. The executions table is rebuilt (copied in report order, then renamed), so on a
 * store of 10M executions this takes a while, once. Each step checks what is done, so a
 * migration stopped half-way (SQLite runs DDL outside a transaction) is finished by running it
 * again.
 */
export const executionsByReportNumberMigration: StoreMigration = {
  async up(db: Kysely<unknown>, capabilities) {
    const columnsOf = async (table: string) =>
      (await db.introspection.getTables())
        .find((t) => t.name === table)
        ?.columns.map((c) => c.name);
    if (!(await columnsOf('test_reports'))?.includes('seq'))
      await capabilities.rowNumbers.add(db, 'test_reports', 'seq');

    const old = await columnsOf('test_executions');
    if (old?.includes('report_id')) {
      await sql`drop table if exists ${sql.table(rebuilt)}`.execute(db);
      await db.schema
        .createTable(rebuilt)
        .addColumn('report_seq', 'integer', (c) => c.notNull())
        .addColumn('test_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'double precision')
        .addColumn('attempt_count', 'integer', (c) => c.notNull())
        .addColumn('failed_attempts', 'integer', (c) => c.notNull())
        .addColumn('attempts', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('properties', 'text')
        .execute();
      const columns = sql.join(kept.map((c) => sql.ref(c)));
      const fromOld = sql.join(kept.map((c) => sql.ref(`e.${c}`)));
      // In report order, so each report's rows stay together as ingest writes them.
      await sql`insert into ${sql.table(rebuilt)} (report_seq, ${columns})
        select p.seq, ${fromOld} from test_executions e join test_reports p on p.id = e.report_id
        order by p.seq`.execute(db);
      await db.schema.dropTable('test_executions').execute();
    }
    if (old === undefined || old.includes('report_id'))
      await db.schema.alterTable(rebuilt).renameTo('test_executions').execute();
    await db.schema
      .createIndex('test_executions_report')
      .ifNotExists()
      .on('test_executions')
      .columns(['report_seq'])
      .execute();
    await db.schema
      .createIndex('test_executions_test_order')
      .ifNotExists()
      .on('test_executions')
      .columns(['test_id', 'started_at', 'report_seq', 'status'])
      .execute();
  },
};
