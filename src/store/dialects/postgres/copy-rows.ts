import { finished } from 'node:stream/promises';
import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../tables/database.ts';
import type { CopyRowsOptions } from '../store-dialect.ts';
import { nulReplacement } from '../nul-safe-dialect.ts';

/**
 * The text of `values` (rows of `width` values, one after the other) in COPY's text format: a
 * tab between values, a newline after each row, `\N` for null, and in text a backslash, tab,
 * newline and carriage return escaped as `\\`, `\t`, `\n`, `\r`, so the text `\N` stays text.
 * NUL becomes U+2400 as `nulSafeDialect` does for parameters (COPY bypasses them; PostgreSQL text
 * cannot hold U+0000). Undefined when a value has no plain text form here (an object, a Buffer,
 * a Date, a non-finite number): the caller inserts those rows with parameters. Never throws.
 */
export function copyText(values: readonly unknown[], width: number): string | undefined {
  // Fields and separators joined once: `+=` left a rope node per piece for the collector, two
  // per value (about 180 MB of garbage over two ingests of 100k tests, docs/adr/0052).
  const parts = new Array<string>(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let field: string;
    if (value === null || value === undefined) field = '\\N';
    else if (typeof value === 'string') field = escapeText(value);
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return undefined;
      field = String(value);
    } else if (typeof value === 'bigint') field = String(value);
    else if (typeof value === 'boolean') field = value ? 't' : 'f';
    else return undefined;
    parts[2 * i] = field;
    parts[2 * i + 1] = (i + 1) % width === 0 ? '\n' : '\t';
  }
  return parts.join('');
}

const special = /[\\\t\n\r\0]/;
const specials = /[\\\t\n\r\0]/g;
const escapes: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': nulReplacement,
};

function escapeText(value: string): string {
  return special.test(value) ? value.replace(specials, (c) => escapes[c] ?? c) : value;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** A `copy ... from stdin` statement that carries its data as its only parameter. */
const copyStatement = /^copy\s[^;]*\sfrom\s+stdin$/i;

const patched = new WeakSet<pg.PoolClient>();

/**
 * Makes a pooled client run `copy <table> (<columns>) from stdin` sent with one text parameter
 * (the data, see `copyText`) through pg-copy-streams, so COPY goes through Kysely like any other
 * statement: in the caller's transaction, on its connection, behind `nulSafeDialect`. Every
 * other query goes to pg unchanged (pg itself cannot run such a statement with a parameter).
 * Idempotent. Never throws; the COPY rejects with what PostgreSQL answers.
 */
export function runCopyFromStdin(client: pg.PoolClient): void {
  if (patched.has(client)) return;
  patched.add(client);
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const copying = async (text: string, data: string) => {
    const stream = query(copyFrom(text)) as ReturnType<typeof copyFrom>;
    stream.end(data);
    await finished(stream);
    return { command: 'COPY', rowCount: stream.rowCount, rows: [] };
  };
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, parameters] = args;
    if (
      typeof text === 'string' &&
      Array.isArray(parameters) &&
      parameters.length === 1 &&
      typeof parameters[0] === 'string' &&
      copyStatement.test(text)
    ) {
      return copying(text, parameters[0]);
    }
    return query(...args);
  };
}

/** PostgreSQL's SQLSTATE for a unique violation. */
const uniqueViolation = '23505';

/** The scratch tables each transaction has created (they are dropped when it ends). */
const scratchTables = new WeakMap<Kysely<Database>, Set<string>>();

/**
 * Stores rows by COPY (PostgreSQL's bulk load), with `columns` of `table` and `values` the rows'
 * values one after the other. With `onConflict`, rows whose key is stored already are left out:
 * COPY into a temporary table dropped at commit, then INSERT ... SELECT ... ON CONFLICT DO
 * NOTHING; that needs a transaction, so outside one it returns false. False too when a value has
 * no COPY text (`copyText`): the caller then inserts with parameters. Throws what PostgreSQL
 * throws.
 */
export async function copyRows(
  db: Kysely<Database>,
  table: string,
  columns: readonly string[],
  values: readonly unknown[],
  onConflict?: readonly string[],
  options?: CopyRowsOptions,
): Promise<boolean> {
  if (onConflict !== undefined && !db.isTransaction) return false;
  const data = copyText(values, columns.length);
  if (data === undefined) return false;
  const list = columns.map(quote).join(', ');
  if (onConflict === undefined) {
    await db.executeQuery(CompiledQuery.raw(`copy ${quote(table)} (${list}) from stdin`, [data]));
    return true;
  }
  if (options?.probedAbsent === true) {
    // Rows a probe found absent go straight into the table; a unique violation (a concurrent
    // writer stored one meanwhile, a probe that missed) undoes just this COPY, and the
    // conflict-safe path below runs instead (docs/adr/0050).
    await db.executeQuery(CompiledQuery.raw('savepoint candor_copy'));
    try {
      await db.executeQuery(CompiledQuery.raw(`copy ${quote(table)} (${list}) from stdin`, [data]));
      await db.executeQuery(CompiledQuery.raw('release savepoint candor_copy'));
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== uniqueViolation) throw error;
      await db.executeQuery(CompiledQuery.raw('rollback to savepoint candor_copy'));
      await db.executeQuery(CompiledQuery.raw('release savepoint candor_copy'));
    }
  }
  const scratch = quote(`candor_copy_${table}`);
  const keys = onConflict.map(quote).join(', ');
  // Once per transaction: even when it exists, the statement cost a few milliseconds a batch.
  let created = scratchTables.get(db);
  if (!created) scratchTables.set(db, (created = new Set()));
  if (!created.has(table)) {
    await db.executeQuery(
      CompiledQuery.raw(
        `create temporary table if not exists ${scratch} (like ${quote(table)}) on commit drop`,
      ),
    );
    created.add(table);
  }
  await db.executeQuery(CompiledQuery.raw(`copy ${scratch} (${list}) from stdin`, [data]));
  await db.executeQuery(
    CompiledQuery.raw(
      // In key order, so concurrent writers take row locks in the same order.
      `insert into ${quote(table)} (${list}) select ${list} from ${scratch} order by ${keys} ` +
        `on conflict (${keys}) do nothing`,
    ),
  );
  await db.executeQuery(CompiledQuery.raw(`truncate ${scratch}`));
  return true;
}
