import { posix } from 'node:path';
import { z } from 'zod';
import { defineGateCondition, type AddedLine, type GateLocation } from '../gate-condition.ts';

const globs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)]);

/**
 * `- migrations: { paths: "db/migrations/**", reversible: true, destructive: fail }`: every new
 * migration has its reverse, and no destructive statement (DROP TABLE/COLUMN, a rename, a type
 * change, TRUNCATE) is added outside an acknowledged contract step.
 */
export const MigrationsOptions = z.strictObject({
  /** The migration files (globs, repository-relative). */
  paths: globs.default(['**/migrations/**', '**/migrate/**', '**/db/migration/**']),
  /** Every new migration has its reverse (Flyway `U`, `.down.sql`, a non-empty `down`). */
  reversible: z.boolean().default(true),
  /** What a destructive statement added to a forward migration does. */
  destructive: z.enum(['fail', 'warn', 'allow']).default('fail'),
  /**
   * A comment acknowledging the contract step of an expand/contract change: a destructive
   * statement in a file holding it is accepted (reported, never blocking).
   */
  contractMarker: z.string().trim().min(1).max(100).default('candor: contract'),
});
export type MigrationsOptions = z.output<typeof MigrationsOptions>;

/** How a migration tool writes a migration and its reverse. */
export type MigrationStyle =
  'flyway' | 'up-down-files' | 'sql-markers' | 'code' | 'rails' | 'unknown';

/** A forward migration changed since the merge-base. */
export type ChangedMigration = {
  file: string;
  /** Every line of the file is added: a new migration (renamed files keep their history). */
  isNew: boolean;
  style: MigrationStyle;
  text: string;
  added: readonly AddedLine[];
  /** The reverse migration file (Flyway `U`, `.down.sql`), when the style has one and it exists. */
  reverse: { file: string; text: string } | undefined;
};

export type MigrationsEvidence = { base: string; migrations: readonly ChangedMigration[] };

const flyway = /^V(\d+(?:[._]\d+)*)__.+\.sql$/i;
const flywayUndo = /^U\d+(?:[._]\d+)*__.+\.sql$/i;
const upFile = /^(.*)(\.up\.sql|(?:^|\/)up\.sql)$/i;
const isReverseFile = (name: string) =>
  flywayUndo.test(name) || /(^|\.)down\.sql$/i.test(name) || /^R__/.test(name);

/** The style of a forward migration from its name and text. */
function styleOf(file: string, text: string): MigrationStyle {
  const name = posix.basename(file);
  if (flyway.test(name)) return 'flyway';
  if (upFile.test(name)) return 'up-down-files';
  if (/\.sql$/i.test(name))
    return /--\s*(\+goose\s+up|migrate:up)\b/i.test(text) ? 'sql-markers' : 'unknown';
  if (/\.rb$/.test(name)) return 'rails';
  if (/\.[cm]?[jt]s$/.test(name)) return 'code';
  return 'unknown';
}

/** The reverse file a migration of this style needs, as a glob next to it. */
function reversePattern(file: string, style: MigrationStyle): string | undefined {
  const dir = posix.dirname(file);
  const name = posix.basename(file);
  const at = (glob: string) => (dir === '.' ? glob : `${dir}/${glob}`);
  if (style === 'flyway') return at(`U${flyway.exec(name)![1]}__*.sql`);
  if (style === 'up-down-files')
    return name.toLowerCase() === 'up.sql'
      ? at('down.sql')
      : at(`${name.slice(0, -'.up.sql'.length)}.down.sql`);
  return undefined;
}

/** The text without SQL (`--`, block), Ruby (`#`) or JS (`//`) comments, for emptiness. */
const withoutComments = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)(--|#|\/\/).*$/gm, '')
    .trim();

/** Why the migration has no usable reverse, or undefined when it has one. */
function missingReverse(migration: ChangedMigration): string | undefined {
  const { style, text } = migration;
  if (style === 'flyway' || style === 'up-down-files') {
    if (migration.reverse === undefined)
      return style === 'flyway' ? 'no Flyway undo (U) migration' : 'no .down.sql next to it';
    return withoutComments(migration.reverse.text) === ''
      ? `its reverse ${migration.reverse.file} is empty`
      : undefined;
  }
  if (style === 'sql-markers') {
    const down = /--\s*(\+goose\s+down|migrate:down)\b[^\n]*\n([\s\S]*)$/i.exec(text);
    if (down === null) return 'no down section (-- +goose Down, -- migrate:down)';
    const body = down[2]!.split(/--\s*(\+goose\s+up|migrate:up)\b/i)[0]!;
    return withoutComments(body.replace(/--\s*\+goose\s+Statement(Begin|End)/gi, '')) === ''
      ? 'its down section is empty'
      : undefined;
  }
  if (style === 'rails') {
    if (/^\s*def\s+change\b/m.test(text)) return undefined;
    const down = /^\s*def\s+down\b[^\n]*\n([\s\S]*?)^\s*end\b/m.exec(text);
    if (down === null) return 'no def down (or def change)';
    return withoutComments(down[1]!) === '' ? 'its def down is empty' : undefined;
  }
  if (style === 'code') {
    const down =
      /(?:exports\.down\s*=|export\s+(?:async\s+)?function\s+down\b|export\s+const\s+down\s*=|\basync\s+down\s*\(|\bdown\s*:\s*(?:async\s*)?(?:function\s*)?\()[^{]*\{/.exec(
        text,
      );
    if (down === null) return 'no down function';
    let depth = 1;
    let index = down.index + down[0].length;
    const start = index;
    for (; index < text.length && depth > 0; index++) {
      if (text[index] === '{') depth++;
      else if (text[index] === '}') depth--;
    }
    return withoutComments(text.slice(start, index - 1)) === ''
      ? 'its down function is empty'
      : undefined;
  }
  return 'no reverse migration of a known style (Flyway V/U, .up.sql/.down.sql, goose or dbmate markers, Knex/TypeORM down, Rails down)';
}

/** Destructive statements: the data or the name an older release still reads goes away. */
const destructivePatterns: readonly [RegExp, string][] = [
  [/\bDROP\s+(TABLE|SCHEMA|DATABASE)\b/i, 'drops a table'],
  [/\bDROP\s+COLUMN\b/i, 'drops a column'],
  [
    /\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?[\w."`[\]]+\s+DROP\s+(?!COLUMN\b|CONSTRAINT\b|INDEX\b|KEY\b|PRIMARY\b|FOREIGN\b|DEFAULT\b|NOT\b|CHECK\b|PARTITION\b|TRIGGER\b|IDENTITY\b|EXPRESSION\b)[\w"`]+/i,
    'drops a column',
  ],
  [/\bRENAME\s+(COLUMN\b|TO\b|[\w"`]+\s+TO\b)/i, 'renames a table or column'],
  [
    /\bALTER\s+(COLUMN\s+)?[\w"`]+\s+(SET\s+DATA\s+)?TYPE\b|\bMODIFY\s+(COLUMN\s+)?[\w"`]+\s+\w/i,
    'changes a column type',
  ],
  [/\bTRUNCATE\b/i, 'truncates a table'],
  [
    /\b(dropTable|dropColumns?|renameColumn|renameTable|dropTableIfExists)\s*\(/,
    'drops or renames (Knex)',
  ],
  [
    /\b(drop_table|remove_column|remove_columns|rename_column|rename_table|change_column)\b/,
    'drops or renames (Rails)',
  ],
];

/** The added lines of the forward part: a code or Rails file's down section and markers excluded. */
function forwardLines(migration: ChangedMigration): AddedLine[] {
  if (
    migration.style === 'flyway' ||
    migration.style === 'up-down-files' ||
    migration.style === 'unknown'
  )
    return [...migration.added];
  const lines = migration.text.split(/\r?\n/);
  const forward = new Set<number>();
  let inDown = false;
  lines.forEach((text, index) => {
    if (
      /--\s*(\+goose\s+down|migrate:down)\b|^\s*def\s+down\b|exports\.down\b|function\s+down\b|const\s+down\b|\basync\s+down\s*\(|\bdown\s*:/i.test(
        text,
      )
    )
      inDown = true;
    else if (
      /--\s*(\+goose\s+up|migrate:up)\b|^\s*def\s+(up|change)\b|exports\.up\b|function\s+up\b|const\s+up\b|\basync\s+up\s*\(|\bup\s*:/i.test(
        text,
      )
    )
      inDown = false;
    if (!inDown) forward.add(index + 1);
  });
  return migration.added.filter((line) => forward.has(line.line));
}

const stripComment = (text: string) => text.replace(/(--|#|\/\/).*$/, '');

/**
 * `migrations`: in the migration files changed since the merge-base, every new migration has its
 * reverse, and no destructive statement is added to a forward migration unless the file
 * acknowledges the contract step of an expand/contract change.
 */
export const migrationsCondition = defineGateCondition<MigrationsOptions, MigrationsEvidence>({
  id: 'migrations',
  description:
    'new migrations have their reverse (Flyway V/U, up/down files, a non-empty down) and add no destructive statement outside an expand/contract step',
  options: MigrationsOptions,
  label: (options) => `migrations ${[options.paths].flat().join(', ')}`,
  async gather(options, context) {
    const changes = await context.changes();
    if (changes.kind === 'unavailable')
      return {
        kind: 'missing',
        expected: `the migrations changed since the merge-base (${changes.reason})`,
        files: [],
      };
    const patterns = [options.paths].flat();
    const migrations: ChangedMigration[] = [];
    for (const [file, added] of [...changes.files].sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    )) {
      if (!patterns.some((glob) => posix.matchesGlob(file, glob))) continue;
      if (isReverseFile(posix.basename(file))) continue;
      const text = await context.readText(file);
      if (text === undefined) continue;
      const lineCount = text.split(/\r?\n/).length - (text.endsWith('\n') ? 1 : 0);
      const style = styleOf(file, text);
      const pattern = reversePattern(file, style);
      const reverseFile = pattern === undefined ? undefined : (await context.findFiles(pattern))[0];
      const reverseText =
        reverseFile === undefined ? undefined : await context.readText(reverseFile);
      migrations.push({
        file,
        isNew: added.length >= lineCount && added[0]?.line === 1,
        style,
        text,
        added,
        reverse:
          reverseFile === undefined || reverseText === undefined
            ? undefined
            : { file: reverseFile, text: reverseText },
      });
    }
    return {
      kind: 'found',
      value: { base: changes.base, migrations },
      files: migrations.map((migration) => migration.file),
    };
  },
  evaluate(evidence, options) {
    const locations: GateLocation[] = [];
    let unreversed = 0;
    let destructive = 0;
    let acknowledged = 0;
    for (const migration of evidence.migrations) {
      if (options.reversible && migration.isNew) {
        const why = missingReverse(migration);
        if (why !== undefined) {
          unreversed++;
          locations.push({
            file: migration.file,
            line: 1,
            message: `new migration without its reverse: ${why}`,
          });
        }
      }
      if (options.destructive === 'allow') continue;
      const contract = migration.text.includes(options.contractMarker);
      for (const { line, text } of forwardLines(migration)) {
        const hit = destructivePatterns.find(([pattern]) => pattern.test(stripComment(text)));
        if (hit === undefined) continue;
        if (contract) acknowledged++;
        else destructive++;
        if (locations.length < 200)
          locations.push({
            file: migration.file,
            line,
            message: `${contract ? 'acknowledged contract step: ' : ''}${hit[1]}: ${text.trim().slice(0, 200)}`,
          });
      }
    }
    const count = evidence.migrations.length;
    const blocking = unreversed + (options.destructive === 'fail' ? destructive : 0);
    const parts = [
      ...(unreversed > 0
        ? [`${unreversed} new migration${unreversed === 1 ? '' : 's'} without a reverse`]
        : []),
      ...(destructive > 0
        ? [
            `${destructive} destructive statement${destructive === 1 ? '' : 's'} (add the column/table first, move readers, then drop in a later release marked "${options.contractMarker}")`,
          ]
        : []),
      ...(acknowledged > 0
        ? [`${acknowledged} acknowledged contract step${acknowledged === 1 ? '' : 's'}`]
        : []),
    ];
    return {
      result: blocking > 0 ? 'fail' : destructive > 0 ? 'warn' : 'pass',
      value: unreversed + destructive,
      threshold: 0,
      message:
        count === 0
          ? `no migration changed since ${evidence.base}`
          : `${count} migration${count === 1 ? '' : 's'} changed since ${evidence.base}: ${parts.length === 0 ? 'reversible, nothing destructive' : parts.join('; ')}`,
      locations,
    };
  },
});
