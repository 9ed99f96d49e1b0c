import { Option, type Command } from 'commander';
import type { z } from 'zod';
import type { FlakyQuery as AppFlakyQuery } from '../app/flaky/build-flaky-report.ts';
import { loadCodeowners, readCodeowners } from '../app/flaky/codeowners.ts';
import {
  doraQueryDefaults,
  FlakyQuery,
  flakyQueryDefaults,
  type CheckoutFiles,
} from '../contracts/queries.ts';
import { queryParameters } from '../contracts/query-parameters.ts';
import { CandorError } from '../core/lib/candor-error.ts';
import type { ServerRead } from './call-server.ts';
import type { CliContext } from './cli-context.ts';

/**
 * The options several commands share, declared once, with their defaults from
 * src/contracts/queries.ts; and `parseOptions`, which reads a command's options into a
 * contract schema.
 */

/** `--db <path-or-url>`. */
export function dbOption(description = 'SQLite file or postgres:// URL'): Option {
  return new Option('--db <path-or-url>', description);
}

/** `--config <path>`: candor.yml elsewhere than at the working directory. */
export function configOption(): Option {
  return new Option('--config <path>', 'the configuration file (default: candor.yml)');
}

/** `--json`: the command's JSON contract instead of text. */
export function jsonOption(description = 'print JSON'): Option {
  return new Option('--json', description);
}

/** `--markdown`: the rich layout (renderers/markdown) instead of text. */
export function markdownOption(): Option {
  return new Option('--markdown', 'print Markdown (GitHub step summaries, PR comments)');
}

/** `--window <window>` with a command's default and meaning. */
export function windowOption(description: string, defaultWindow: string): Option {
  return new Option('--window <window>', description).default(defaultWindow);
}

/** `--repo <name>`. */
export function repoOption(description = 'only this repository'): Option {
  return new Option('--repo <name>', description);
}

/** The options of the flaky analysis: `candor flaky`, `flaky budget`, `quarantine suggest`. */
export function addFlakyAnalysisOptions(command: Command): Command {
  return command
    .addOption(windowOption('history to look at', flakyQueryDefaults.window))
    .option('--branch <name>', 'only runs on this branch')
    .option(
      '--default-branch <name>',
      `the default branch (default: $CANDOR_DEFAULT_BRANCH, else ${flakyQueryDefaults.defaultBranch})`,
    )
    .addOption(repoOption())
    .option(
      '--max <share>',
      'flake budget: flaky executions ÷ all executions',
      flakyQueryDefaults.max,
    )
    .option(
      '--min-executions <n>',
      'executions needed before rates count',
      flakyQueryDefaults.minExecutions,
    )
    .addOption(dbOption())
    .addOption(serverOption())
    .addOption(jsonOption())
    .addOption(markdownOption());
}

/** The options of `candor dora` (and the query names of `GET /api/v1/dora`). */
export function addDoraOptions(command: Command): Command {
  return command
    .addOption(windowOption('deployments started in this window', doraQueryDefaults.window))
    .option('--service <name>', 'one service')
    .option('--env <name>', 'the production environment', doraQueryDefaults.env)
    .option('--team <name>', 'deployments whose events carry attributes.team')
    .option(
      '--incident-window <window>',
      'how long after a deployment an incident links to it by inference',
      doraQueryDefaults.incidentWindow,
    );
}

/** The flag of an option by its commander name: `incidentWindow` → `--incident-window`. */
export function flagOf(name: PropertyKey | undefined): string {
  return `--${String(name ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * A command's options read into a contract schema (extra options are ignored). Throws
 * CandorError `usage` (exit 2) naming the flag: `--window: expected a window such as 14d, …`.
 */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CandorError('usage', `${flagOf(issue?.path[0])}: ${issue?.message ?? 'invalid'}`);
}

/** The flaky analysis flags as the app takes them: the query, now, and CODEOWNERS of `cwd`. */
export function flakyQueryOf(
  context: CliContext,
  options: { defaultBranch?: string | undefined },
): AppFlakyQuery {
  const query = parseOptions(FlakyQuery, {
    ...options,
    defaultBranch: options.defaultBranch ?? context.env['CANDOR_DEFAULT_BRANCH'],
  });
  return { ...query, now: context.now(), ownersOf: loadCodeowners(context.cwd) };
}

/**
 * `--server <url>`: read through a `candor serve` API with the token in `$CANDOR_TOKEN` instead
 * of opening a database (docs/adr/0019); it excludes `--db`.
 */
export function serverOption(): Option {
  return new Option(
    '--server <url>',
    'read from the candor server at this URL with the token in $CANDOR_TOKEN (no database)',
  ).conflicts('db');
}

/**
 * The query a command sends with `--server`: its option values under the names the contract
 * schema reads (they are the flags' names), as text; options the schema does not read are left
 * out. Parse the options with the schema first (`parseOptions`), so a bad flag fails as it
 * does locally.
 */
export function queryOf(
  schema: z.ZodType,
  options: Record<string, unknown>,
): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  for (const name of queryParameters(schema)) {
    const value = options[name];
    if (typeof value === 'string' || typeof value === 'number') query[name] = String(value);
  }
  return query;
}

/**
 * The read of a flaky command with `--server` (`path` one of the flaky routes): the flags as
 * its query (checked locally first, so a bad flag fails as it does without a server) and the
 * checkout's CODEOWNERS as its body, for the owners. Throws what `flakyQueryOf` throws.
 */
export function flakyServerRead(
  context: CliContext,
  options: { defaultBranch?: string | undefined } & Record<string, unknown>,
  path: string,
  extraQuery: Record<string, string | undefined> = {},
): ServerRead {
  flakyQueryOf(context, options);
  const defaultBranch = options.defaultBranch ?? context.env['CANDOR_DEFAULT_BRANCH'];
  const body: CheckoutFiles = {};
  const codeowners = readCodeowners(context.cwd);
  if (codeowners !== undefined) body.codeowners = codeowners;
  return {
    method: 'POST',
    path,
    query: { ...queryOf(FlakyQuery, { ...options, defaultBranch }), ...extraQuery },
    body,
  };
}
