import {
  sql,
  type ColumnMetadata,
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
 * namespace and calls no function on names, so neither can happen (docs/adr/0036). Tables come
 * with their columns (a migration asks whether a column is there yet, docs/adr/0052).
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
    // Columns by the relation's oid, in their order: a migration asks what a table holds.
    const columns = await sql<{
      table: string;
      name: string;
      type: string;
      not_null: boolean;
      has_default: boolean;
      identity: string;
    }>`
      select c.relname as table, a.attname as name, t.typname as type, a.attnotnull as not_null,
        a.atthasdef as has_default, a.attidentity as identity
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_catalog.pg_type t on t.oid = a.atttypid
      where ns.nspname = current_schema() and c.relkind in ('r', 'v', 'p')
      order by c.relname, a.attnum`.execute(this.#db);
    const byTable = new Map<string, ColumnMetadata[]>();
    for (const column of columns.rows) {
      const list = byTable.get(column.table) ?? [];
      list.push({
        name: column.name,
        dataType: column.type,
        isNullable: !column.not_null,
        hasDefaultValue: column.has_default || column.identity !== '',
        isAutoIncrementing: column.identity !== '',
      });
      byTable.set(column.table, list);
    }
    return rows.map((row) => ({
      name: row.name,
      schema: row.schema,
      isView: row.kind === 'v',
      columns: byTable.get(row.name) ?? [],
    }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
