import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../../testing/open-test-store.ts';

describe('the PostgreSQL introspector the migrator uses', () => {
  let mine: TestStore;
  let other: TestStore;
  beforeAll(async () => {
    mine = await openTestStore('postgres');
    other = await openTestStore('postgres');
    await other.db.schema.createTable('only_in_other').addColumn('x', 'integer').execute();
  });
  afterAll(async () => {
    await mine.drop();
    await other.drop();
  });

  it("lists the store's own tables and no other schema's", async () => {
    const tables = await mine.db.introspection.getTables();
    const schemas = new Set(tables.map((table) => table.schema));
    expect(schemas.size).toBe(1);
    const names = tables.map((table) => table.name);
    expect(names).toContain('candor_migration');
    expect(names).toContain('api_tokens');
    expect(names).not.toContain('only_in_other');
    expect((await other.db.introspection.getTables()).map((t) => t.name)).toContain(
      'only_in_other',
    );
  });

  it("lists each table's columns in their order, and only the store's own", async () => {
    // A table of the same name in another schema: its columns are not this one's.
    await other.db.schema.createTable('shaped').addColumn('y', 'text').execute();
    await mine.db.schema
      .createTable('shaped')
      .addColumn('n', 'integer', (c) => c.generatedByDefaultAsIdentity())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.defaultTo('none'))
      .execute();
    await mine.db.schema.alterTable('shaped').dropColumn('note').execute();
    const shaped = (await mine.db.introspection.getTables()).find((t) => t.name === 'shaped');
    expect(shaped?.columns).toEqual([
      {
        name: 'n',
        dataType: 'int4',
        isNullable: false,
        hasDefaultValue: true,
        isAutoIncrementing: true,
      },
      {
        name: 'label',
        dataType: 'text',
        isNullable: false,
        hasDefaultValue: false,
        isAutoIncrementing: false,
      },
    ]);
    const tokens = (await mine.db.introspection.getTables()).find((t) => t.name === 'api_tokens');
    expect(tokens?.columns.map((c) => c.name)).toContain('secret_sha256');
  });

  it("lists every schema, the stores' among them", async () => {
    const names = (await mine.db.introspection.getSchemas()).map((schema) => schema.name);
    const [own] = new Set((await mine.db.introspection.getTables()).map((t) => t.schema));
    expect(names).toContain(own);
    expect(names.some((name) => name.startsWith('pg_'))).toBe(false);
  });

  // Kysely's own introspector resolved every schema by name mid-scan, so a schema dropped by
  // another test failed this migration with "schema … does not exist" (CI, metrics-route test).
  it('migrates new stores while other stores are being dropped', async () => {
    const doomed = await Promise.all(Array.from({ length: 6 }, () => openTestStore('postgres')));
    const opened = await Promise.all([
      ...Array.from({ length: 6 }, () => openTestStore('postgres')),
      ...doomed.map((store) => store.drop().then(() => undefined)),
    ]);
    const fresh = opened.filter((store): store is TestStore => store !== undefined);
    expect(fresh).toHaveLength(6);
    await Promise.all(fresh.map((store) => store.drop()));
  });
});
