import { describe, expect, it } from 'vitest';
import { createGateContext } from '../../app/gates/create-gate-context.ts';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { makeGitRepo } from '../../testing/make-git-repo.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import type { AddedLine, GateContext } from '../gate-condition.ts';
import { MigrationsOptions, migrationsCondition } from './migrations-condition.ts';

const decide = async (options: Record<string, unknown>, context: GateContext) => {
  const parsed = MigrationsOptions.parse(options);
  const evidence = await migrationsCondition.gather(parsed, context);
  if (evidence.kind !== 'found') return evidence;
  return migrationsCondition.evaluate(evidence.value, parsed, context.now);
};

/** Every line of `text` added: a new file in the diff. */
const allAdded = (text: string): AddedLine[] =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((line, index) => ({ line: index + 1, text: line }));

/** A fake repository where `files` are new since the base (and `old` were there before). */
const repoWith = (files: Record<string, string>, old: Record<string, string> = {}) =>
  fakeGateContext({
    files: { ...old, ...files },
    added: Object.fromEntries(Object.entries(files).map(([file, text]) => [file, allAdded(text)])),
  });

describe('migrationsCondition', () => {
  it('fails a new Flyway migration without its undo and with a DROP COLUMN, in a real repository', async () => {
    const repo = makeGitRepo();
    repo.commit('base', {
      'db/migration/V1__init.sql': 'CREATE TABLE orders (id int, note text);\n',
      'db/migration/U1__init.sql': 'DROP TABLE orders;\n',
    });
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.commit('feature', {
      'db/migration/V2__drop_note.sql': '-- note is unused\nALTER TABLE orders DROP COLUMN note;\n',
    });
    const context = createGateContext({
      root: repo.root,
      now: new Date('2026-12-02T12:00:00Z'),
      base: 'main',
      store: () => Promise.reject(new Error('no ledger')),
    });
    expect(await decide({}, context)).toMatchObject({
      result: 'fail',
      value: 2,
      threshold: 0,
      message: expect.stringContaining(
        '1 new migration without a reverse; 1 destructive statement',
      ) as string,
      locations: [
        {
          file: 'db/migration/V2__drop_note.sql',
          line: 1,
          message: 'new migration without its reverse: no Flyway undo (U) migration',
        },
        {
          file: 'db/migration/V2__drop_note.sql',
          line: 2,
          message: 'drops a column: ALTER TABLE orders DROP COLUMN note;',
        },
      ],
    });
  });

  it('accepts a reversible migration whose destructive step is an acknowledged contract', async () => {
    const verdict = await decide(
      {},
      repoWith({
        'db/migration/V3__contract.sql':
          '-- candor: contract (expand in V2, readers moved in 1.4)\nALTER TABLE orders DROP COLUMN note;\n',
        'db/migration/U3__contract.sql': 'ALTER TABLE orders ADD COLUMN note text;\n',
      }),
    );
    expect(verdict).toMatchObject({
      result: 'pass',
      value: 0,
      message: expect.stringContaining('1 acknowledged contract step') as string,
      locations: [
        {
          line: 2,
          message: expect.stringMatching(/^acknowledged contract step: drops a column/) as string,
        },
      ],
    });
  });

  it('finds each destructive form, not the harmless drops, comments or down files', async () => {
    const up = [
      'DROP TABLE IF EXISTS legacy;', // 1
      'ALTER TABLE orders DROP note;', // 2 (Postgres: COLUMN is optional)
      'ALTER TABLE orders RENAME COLUMN a TO b;', // 3
      'ALTER TABLE orders RENAME TO purchases;', // 4
      'ALTER TABLE orders ALTER COLUMN total TYPE bigint;', // 5
      'TRUNCATE audit;', // 6
      'DROP INDEX orders_idx;',
      'ALTER TABLE orders DROP CONSTRAINT fk;',
      'ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;',
      '-- DROP TABLE orders; (a comment)',
      'CREATE TABLE dropped_items (id int);',
    ].join('\n');
    const verdict = await decide(
      {},
      repoWith({
        'migrations/001_x.up.sql': up,
        'migrations/001_x.down.sql': 'DROP TABLE dropped_items;\n',
      }),
    );
    expect(verdict).toMatchObject({ result: 'fail', value: 6 });
    if ('locations' in verdict)
      expect(verdict.locations?.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('knows the reverse of each style: empty down files and functions fail', async () => {
    const cases: [string, string, Record<string, string>, string | undefined][] = [
      [
        'migrations/002_a.up.sql',
        'CREATE TABLE a (id int);',
        { 'migrations/002_a.down.sql': '-- nothing\n' },
        'its reverse migrations/002_a.down.sql is empty',
      ],
      [
        'migrations/003_b.up.sql',
        'CREATE TABLE b (id int);',
        { 'migrations/003_b.down.sql': 'DROP TABLE b;' },
        undefined,
      ],
      ['migrations/2026_c/up.sql', 'CREATE TABLE c (id int);', {}, 'no .down.sql next to it'],
      [
        'migrations/004_goose.sql',
        '-- +goose Up\nCREATE TABLE g (id int);\n-- +goose Down\nDROP TABLE g;\n',
        {},
        undefined,
      ],
      [
        'migrations/005_goose.sql',
        '-- +goose Up\nCREATE TABLE g (id int);\n-- +goose Down\n',
        {},
        'its down section is empty',
      ],
      [
        'db/migrate/20261201_add.rb',
        'class Add < ActiveRecord::Migration[7.1]\n  def change\n    add_column :orders, :x, :int\n  end\nend\n',
        {},
        undefined,
      ],
      [
        'db/migrate/20261202_up.rb',
        'class Up < ActiveRecord::Migration[7.1]\n  def up\n    add_column :orders, :y, :int\n  end\n  def down\n  end\nend\n',
        {},
        'its def down is empty',
      ],
      [
        'migrations/20261203_knex.js',
        'exports.up = (knex) => knex.schema.createTable("t", () => {});\nexports.down = async (knex) => {\n  // later\n};\n',
        {},
        'its down function is empty',
      ],
      [
        'migrations/20261204_knex.ts',
        'export async function up(knex) { await knex.schema.createTable("t", () => {}); }\nexport async function down(knex) { await knex.schema.dropTable("t"); }\n',
        {},
        undefined,
      ],
      [
        'migrations/006_plain.sql',
        'CREATE TABLE p (id int);',
        {},
        'no reverse migration of a known style (Flyway V/U, .up.sql/.down.sql, goose or dbmate markers, Knex/TypeORM down, Rails down)',
      ],
    ];
    for (const [file, text, extra, why] of cases) {
      const verdict = await decide({}, repoWith({ [file]: text }, extra));
      expect([file, verdict]).toMatchObject([
        file,
        why === undefined
          ? { result: 'pass' }
          : {
              result: 'fail',
              locations: [{ file, line: 1, message: `new migration without its reverse: ${why}` }],
            },
      ]);
    }
  });

  it('judges destructive lines added to an existing migration, warns or allows on request', async () => {
    const context = fakeGateContext({
      files: {
        'migrations/007_old.up.sql': 'CREATE TABLE o (id int);\nALTER TABLE o RENAME TO p;\n',
      },
      added: { 'migrations/007_old.up.sql': [{ line: 2, text: 'ALTER TABLE o RENAME TO p;' }] },
    });
    expect(await decide({}, context)).toMatchObject({
      result: 'fail',
      value: 1,
      locations: [{ line: 2 }],
    });
    expect(await decide({ destructive: 'warn' }, context)).toMatchObject({
      result: 'warn',
      value: 1,
    });
    expect(await decide({ destructive: 'allow' }, context)).toMatchObject({
      result: 'pass',
      value: 0,
    });
    // The down part of a Rails or Knex file may drop: it is the reverse.
    expect(
      await decide(
        {},
        repoWith({
          'db/migrate/1_t.rb':
            'class T < M\n  def up\n    create_table :t\n  end\n  def down\n    drop_table :t\n  end\nend\n',
        }),
      ),
    ).toMatchObject({ result: 'pass' });
  });

  it('passes when no migration changed, and reports no evidence without a diff', async () => {
    expect(await decide({}, repoWith({ 'src/a.ts': 'DROP TABLE x' }))).toMatchObject({
      result: 'pass',
      message: 'no migration changed since main',
    });
    expect(await decide({}, fakeGateContext())).toMatchObject({
      kind: 'missing',
      expected: 'the migrations changed since the merge-base (not a git repository)',
    });
  });
});

runGateConditionConformance({
  condition: migrationsCondition,
  samples: {
    pass: {
      options: { paths: 'db/**' },
      context: repoWith({
        'db/V1__a.sql': 'CREATE TABLE a (id int);',
        'db/U1__a.sql': 'DROP TABLE a;',
      }),
      result: 'pass',
    },
    fail: {
      options: {},
      context: repoWith({ 'db/migration/V2__b.sql': 'DROP TABLE a;' }),
      result: 'fail',
    },
    warn: {
      options: { destructive: 'warn' },
      context: repoWith({
        'db/migration/V2__b.sql': 'DROP TABLE a;',
        'db/migration/U2__b.sql': 'CREATE TABLE a (id int);',
      }),
      result: 'warn',
    },
  },
});
