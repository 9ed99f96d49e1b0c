import { Kysely, PostgresDialect, sql, type Dialect } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { CandorError } from '../../../core/lib/candor-error.ts';
import type { Database } from '../../tables/database.ts';
import { nulSafeDialect } from '../nul-safe-dialect.ts';
import type { StoreCapabilities, StoreDialect } from '../store-dialect.ts';
import { absentKeys } from './absent-keys.ts';
import { copyRows, runCopyFromStdin } from './copy-rows.ts';
import { SchemaScopedIntrospector } from './schema-scoped-introspector.ts';

/** A PostgreSQL database, and optionally a schema in it (`?schema=` on the URL). */
export type PostgresLocation = { kind: 'postgres'; url: string; schema?: string };

const capabilities: StoreCapabilities = {
  maxParameters: 65_535,
  supportsSchemas: true,
  // Text sorts by the database's locale unless told otherwise; "C" compares bytes.
  binaryTextOrder: (expression) => sql`${expression} collate "C"`,
  // double precision prints its shortest exact form (extra_float_digits 1, the default).
  bytesColumnType: 'bytea',
  joinNumbers: (expression) => sql<string | null>`string_agg(${expression}::text, ',')`,
  concatInOrder: (expression, orderBy) =>
    sql<string | null>`string_agg(${expression}, '' order by ${sql.join(orderBy)})`,
  clusterByPrimaryKey: (builder) => builder,
  // WITH … AS (DELETE … RETURNING) feeding an INSERT: one atomic move (docs/adr/0050).
  movesRowsInOneStatement: true,
  // Half-full pages: repeated updates stay on their page, with no new index entries (ADR 50).
  leaveRoomForUpdates: (builder) => builder.modifyEnd(sql`with (fillfactor = 50)`),
  serializeWriters: async (transaction) => {
    // One key per schema: the delivery projections of a store are one resource (docs/adr/0018).
    await sql`select pg_advisory_xact_lock(hashtext('candor.delivery.' || current_schema()))`.execute(
      transaction,
    );
  },
  // COPY ... FROM STDIN through pg-copy-streams (docs/adr/0038).
  copyRows,
  // Clustered keys are read a range at a time (docs/adr/0050).
  absentKeys,
};

/** The dialect with introspection limited to the store's own schema (schema-scoped-introspector). */
const schemaScoped = (dialect: Dialect): Dialect => ({
  createAdapter: () => dialect.createAdapter(),
  createDriver: () => dialect.createDriver(),
  createQueryCompiler: () => dialect.createQueryCompiler(),
  createIntrospector: (db) => new SchemaScopedIntrospector(db),
});

/** A schema is put in `search_path` and in DDL as is: only plain identifiers. */
const plainIdentifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Deadlock detected, serialisation failure: the transaction can simply run again. */
const retryableStates = new Set(['40P01', '40001']);

/** PostgreSQL through `pg` (postgres/readme.md): the store for parallel jobs and `candor serve`. */
export const postgresDialect = {
  id: 'postgres',
  description: 'a PostgreSQL database (a schema in it with ?schema=), through pg',
  locationHint: 'a postgres:// URL',
  lockedAdvice: 'try again, or look for long transactions holding locks',

  accepts: (value) => /^postgres(ql)?:\/\//i.test(value),

  parseLocation(value) {
    const url = new URL(value);
    const schema = url.searchParams.get('schema');
    url.searchParams.delete('schema');
    if (schema !== null && !plainIdentifier.test(schema)) {
      throw new CandorError(
        'usage',
        `database URL: schema "${schema}" is not a plain SQL identifier`,
      );
    }
    return schema
      ? { kind: 'postgres', url: url.toString(), schema }
      : { kind: 'postgres', url: url.toString() };
  },

  toValue(location) {
    const url = new URL(location.url);
    if (location.schema !== undefined) url.searchParams.set('schema', location.schema);
    return url.toString();
  },

  describe(location) {
    const url = new URL(location.url);
    url.password = '';
    return url.toString() + (location.schema ? ` (schema ${location.schema})` : '');
  },

  schemaOf: (location) => location.schema,

  inSchema: (location, schema) => ({ ...location, schema }),

  async open(location) {
    const pool = new pg.Pool({
      connectionString: location.url,
      max: 8,
      connectionTimeoutMillis: 10_000,
      ...(location.schema ? { options: `-c search_path=${location.schema}` } : {}),
    });
    pool.on('connect', runCopyFromStdin);
    // The cursor lets reads stream (`.stream()`) instead of holding every row at once.
    const db = new Kysely<Database>({
      dialect: schemaScoped(nulSafeDialect(new PostgresDialect({ pool, cursor: Cursor }))),
    });
    return { db, capabilities };
  },

  isRetryable(error) {
    const code = (error as { code?: unknown } | null | undefined)?.code;
    return typeof code === 'string' && retryableStates.has(code);
  },
} satisfies StoreDialect<PostgresLocation>;
