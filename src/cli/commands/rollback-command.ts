import { Command, InvalidArgumentError, Option } from 'commander';
import { loadCandorConfig } from '../../app/config/load-candor-config.ts';
import { listDrills } from '../../app/release/list-drills.ts';
import { runRollback, type RollbackRun } from '../../app/release/run-rollback.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import type { CandorConfig } from '../../config/candor-config.ts';
import { exitCodes, type CliContext, type CommandFactory } from '../cli-context.ts';
import { describeDrills, describeRollback } from '../documents/describe-rollback.ts';
import { withStore } from '../open-cli-store.ts';
import { configOption, dbOption, jsonOption, markdownOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

type RunOptions = {
  service?: string;
  environment?: string;
  deployment?: string;
  reason?: string;
  dryRun?: boolean;
  config?: string;
  db?: string;
  json?: boolean;
  markdown?: boolean;
};

/** candor.yml, or exit 2 naming each problem with file:line:column. */
function configOf(context: CliContext, path: string | undefined): CandorConfig {
  const loaded = loadCandorConfig({ cwd: context.cwd, path });
  if (!loaded.ok)
    throw new CandorError(
      'usage',
      loaded.errors.map((p) => formatProblem(p, path ?? 'candor.yml')).join('\n'),
    );
  return loaded.value.config;
}

/** Stops the action on Ctrl-C or SIGTERM (the CI job was cancelled): the failure is still recorded. */
function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

async function run(
  context: CliContext,
  options: RunOptions,
  purpose: 'rollback' | 'drill',
): Promise<number> {
  if (options.service === undefined)
    throw new CandorError(
      'usage',
      `--service is required: the service whose ${purpose} action runs`,
    );
  const service = options.service;
  const config = configOf(context, options.config);
  const environment =
    options.environment ??
    (purpose === 'drill'
      ? (config.services?.[service]?.drill?.environment ?? 'staging')
      : 'production');
  if (purpose === 'drill' && environment === 'production' && options.environment !== undefined)
    throw new CandorError(
      'usage',
      'a drill runs against a non-production environment: --environment production is refused (use candor rollback)',
    );
  const interrupt = interruptSignal();
  let result: RollbackRun;
  try {
    result = await withStore(context, options.db, (store) =>
      runRollback(store, config, {
        service,
        environment,
        purpose,
        deployment: options.deployment,
        reason: options.reason,
        dryRun: options.dryRun === true,
        env: context.env,
        cwd: context.cwd,
        now: context.now,
        signal: interrupt.signal,
      }),
    );
  } finally {
    interrupt.dispose();
  }
  for (const warning of result.warnings) context.stderr.write(`warning: ${warning}\n`);
  if (options.json) context.stdout.write(`${JSON.stringify(result)}\n`);
  else writeDocument(context.stdout, describeRollback(result), { markdown: options.markdown });
  return result.outcome === undefined || result.outcome.result === 'success'
    ? exitCodes.ok
    : exitCodes.rejected;
}

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number of days, at least 1');
  return n;
};

function addRunOptions(command: Command, environmentHelp: string): Command {
  return command
    .option('--service <name>', 'the service, as candor.yml services: names it (required)')
    .option('--environment <name>', environmentHelp)
    .option('--reason <text>', 'why (recorded with the events, and {{reason}} in the action)')
    .option('--dry-run', 'print what the action would do; run and record nothing')
    .addOption(configOption())
    .addOption(dbOption())
    .addOption(jsonOption())
    .addOption(markdownOption());
}

/** `candor rollback`, `candor rollback drill`, `candor rollback drills` (README "Rollback actions"). */
export const rollbackCommand: CommandFactory = (context, setExitCode) => {
  const rollback = addRunOptions(
    new Command('rollback')
      .description(
        "run a service's rollback action now and record it (rollback_triggered, rollback_finished)",
      )
      .enablePositionalOptions(),
    'the environment rolled back (default: production)',
  )
    .option(
      '--deployment <id>',
      "the deployment rolled back (default: the service's latest in the environment)",
    )
    .action(async (options: RunOptions) => setExitCode(await run(context, options, 'rollback')));

  addRunOptions(
    rollback
      .command('drill')
      .description(
        'rehearse the rollback against a non-production environment and record a rollback_drill event',
      ),
    'the environment (default: services.<name>.drill.environment, else staging)',
  ).action(async (options: RunOptions) => setExitCode(await run(context, options, 'drill')));

  rollback
    .command('drills')
    .description(
      'the last drill per service and environment; exit 1 when one is stale, failed or missing',
    )
    .option('--service <name>', 'one service')
    .addOption(
      new Option(
        '--max-age-days <n>',
        'a drill older than this is stale (default: per service, else 30)',
      ).argParser(positive),
    )
    .addOption(configOption())
    .addOption(dbOption())
    .addOption(
      jsonOption(
        'print JSON: {"drills": [{service, environment, status, ageDays, maxAgeDays, last}]}',
      ),
    )
    .addOption(markdownOption())
    .action(
      async (options: {
        service?: string;
        maxAgeDays?: number;
        config?: string;
        db?: string;
        json?: boolean;
        markdown?: boolean;
      }) => {
        const config = configOf(context, options.config);
        const rows = await withStore(context, options.db, (store) =>
          listDrills(store, config, {
            now: context.now(),
            maxAgeDays: options.maxAgeDays,
            service: options.service,
          }),
        );
        if (options.json) context.stdout.write(`${JSON.stringify({ drills: rows })}\n`);
        else writeDocument(context.stdout, describeDrills(rows), { markdown: options.markdown });
        setExitCode(rows.every((r) => r.status === 'fresh') ? exitCodes.ok : exitCodes.rejected);
      },
    );
  return rollback;
};
