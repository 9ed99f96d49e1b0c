// Bench part (a)'s limit (issue 10 item 6): the rows one ingest stored, inserted again into
// scratch tables with the same columns, no index beyond the primary key, in one transaction, by
// multi-row inserts. No ingest can store them faster on that database: it is the yardstick the
// ingest is printed against, with wall time and this process's CPU time (the machine is shared).
import { readFileSync } from 'node:fs';
import { CompiledQuery, sql } from 'kysely';
import { rowsPerStatement } from '../src/store/lib/batches.ts';
import type { Store } from '../src/store/open-store.ts';

/**
 * Wall and CPU seconds of some work. CPU: this process (user + system); `serverCpuSeconds`: the
 * PostgreSQL backend's, when the work ran on one connection (`onOneConnection`) to a server on
 * this machine (read from /proc), else 0.
 */
export type Timing = { seconds: number; cpuSeconds: number; serverCpuSeconds: number };

/** Runs `work`, measuring its wall time and this process's CPU time. */
export async function timed<T>(work: () => Promise<T>): Promise<Timing & { value: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1_000;
  const used = process.cpuUsage(cpu);
  return { value, seconds, cpuSeconds: (used.user + used.system) / 1e6, serverCpuSeconds: 0 };
}

/** Clock ticks per second of /proc's CPU times (Linux: 100). */
const ticksPerSecond = 100;

/** CPU seconds (user + system) process `pid` has used, from /proc; undefined when unreadable. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/**
 * Times `work` on a store pinned to one connection, so on PostgreSQL the server's CPU time for
 * it can be read too (its backend process, when the server runs on this machine).
 */
export async function onOneConnection<T>(
  store: Store,
  work: (store: Store) => Promise<T>,
): Promise<Timing & { value: T }> {
  return store.db.connection().execute(async (db) => {
    let pid: number | undefined;
    if (store.location.kind === 'postgres') {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      pid = rows[0]?.pid;
    }
    const before = pid === undefined ? undefined : processCpuSeconds(pid);
    const timing = await timed(() => work({ ...store, db }));
    const after = pid === undefined ? undefined : processCpuSeconds(pid);
    const serverCpuSeconds = before === undefined || after === undefined ? 0 : after - before;
    return { ...timing, serverCpuSeconds };
  });
}

/** The scratch tables: `tests` and `test_executions` as migrated, without their indexes. */
const scratchTables = {
  plain_tests: {
    columns: sql`id text primary key, repo text not null, key text not null, name text not null,
      classname text, file text, line integer, suite text, variant text,
      first_seen_at text not null`,
  },
  plain_executions: {
    columns: sql`report_seq integer not null, test_id text not null,
      status text not null, duration_ms double precision, attempt_count integer not null,
      failed_attempts integer not null, attempts text, started_at text not null,
      properties text`,
  },
} as const;

/** Rows read back per query: pages keep the bench inside the launcher's heap. */
const pageSize = 10_000;

/**
 * Reads back the test identities and executions report `reportId` stored (page by page, each row
 * kept only as its statement's parameters), then times inserting them into fresh scratch tables
 * in one transaction, statements as large as the batching policy allows (each shape compiled
 * once). Drops the scratch tables afterwards.
 */
export async function plainInsertLimit(
  store: Store,
  reportSeq: number,
): Promise<Timing & { rows: number }> {
  type Statement = { text: string; parameters: unknown[] };
  const statements: Statement[] = [];
  const compiled = new Map<string, string>();
  let rowCount = 0;
  const queue = (table: string, rows: readonly Record<string, unknown>[]) => {
    const columns = Object.keys(rows[0] ?? {});
    const size = rowsPerStatement(store.capabilities, columns.length);
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      const shape = `${table}|${chunk.length}`;
      let text = compiled.get(shape);
      if (text === undefined) {
        // Kysely's insert types cannot follow a scratch table chosen at run time.
        text = store.db
          .insertInto(table as never)
          .values(chunk.map(() => Object.fromEntries(columns.map((c) => [c, null]))))
          .compile().sql;
        compiled.set(shape, text);
      }
      const parameters: unknown[] = [];
      for (const row of chunk) for (const column of columns) parameters.push(row[column]);
      statements.push({ text, parameters });
    }
    rowCount += rows.length;
  };
  for (const [table, { columns }] of Object.entries(scratchTables)) {
    await sql`drop table if exists ${sql.table(table)}`.execute(store.db);
    await sql`create table ${sql.table(table)} (${columns})`.execute(store.db);
  }
  for (let after = ''; ;) {
    const rows = await store.db
      .selectFrom('tests')
      .selectAll()
      .where('id', '>', after)
      .where('id', 'in', (eb) =>
        eb.selectFrom('test_executions').select('test_id').where('report_seq', '=', reportSeq),
      )
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    queue('plain_tests', rows);
    after = rows.at(-1)?.id ?? after;
  }
  for (let after = ''; ;) {
    const rows = await store.db
      .selectFrom('test_executions')
      .selectAll()
      .where('report_seq', '=', reportSeq)
      .where('test_id', '>', after)
      .orderBy('test_id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    queue('plain_executions', rows);
    after = rows.at(-1)?.test_id ?? after;
  }
  try {
    const timing = await onOneConnection(store, (pinned) =>
      pinned.db.transaction().execute(async (trx) => {
        for (const { text, parameters } of statements) {
          await trx.executeQuery(CompiledQuery.raw(text, parameters));
        }
      }),
    );
    return { ...timing, rows: rowCount };
  } finally {
    for (const table of Object.keys(scratchTables)) {
      await sql`drop table if exists ${sql.table(table)}`.execute(store.db);
    }
  }
}
