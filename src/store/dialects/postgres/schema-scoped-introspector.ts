import {
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Kysely,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';

/**
 * An introspector that sees only the store's own schema (`current_schema()`, which `search_path`
 * sets), for Kysely's migrator: it asks whether the migration tables exist.
 *
 * Kysely's PostgreSQL introspector reads every column of every table in every schema and calls
 * `has_schema_privilege(name)` and `pg_get_serial_sequence(name)` on each; those resolve the
 * schema by name again, so a schema another process drops mid-scan fails the migration with
 * "schema … does not exist" (3F000), and a `candor_migration` table in some other schema made
 * the migrator think a `public` store was already migrated. This one reads `pg_class` by
 * namespace and calls no function on names, so neither can happen (docs/adr/0036).
 */
export class SchemaScopedIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;

  constructor(db: Kysely<unknown>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`
      select nspname as name from pg_catalog.pg_namespace
      where nspname !~ '^pg_' and nspname <> 'information_schema'
      order by nspname`.execute(this.#db);
    return rows.map((row) => ({ name: row.name }));
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, ns.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = current_schema() and c.relkind in ('r', 'v', 'p')
      order by c.relname`.execute(this.#db);
    return rows.map((row) => ({
      name: row.name,
      schema: row.schema,
      isView: row.kind === 'v',
      columns: [],
    }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
