import { Command, InvalidArgumentError, Option } from 'commander';
import { loadCandorConfig } from '../../app/config/load-candor-config.ts';
import { listDrills } from '../../app/release/list-drills.ts';
import {
  runRollback,
  type DrillVerification,
  type RollbackRun,
} from '../../app/release/run-rollback.ts';
import { openCanarySource } from '../../app/canary/open-canary-source.ts';
import { systemClock } from '../../app/watch/watch-clock.ts';
import { watchService } from '../../app/watch/watch-service.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import type { CandorConfig } from '../../config/candor-config.ts';
import { exitCodes, type CliContext, type CommandFactory } from '../cli-context.ts';
import { describeDrills, describeRollback } from '../documents/describe-rollback.ts';
import { openCliStore, withStore } from '../open-cli-store.ts';
import { configOption, dbOption, jsonOption, markdownOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

type RunOptions = {
  service?: string;
  environment?: string;
  deployment?: string;
  reason?: string;
  dryRun?: boolean;
  verify?: boolean;
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
        verify:
          purpose === 'drill' && options.verify === true
            ? () => verifyDrill(context, options, config, service, environment, interrupt.signal)
            : undefined,
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

/**
 * `--verify`: the service's watch (`watch:`), once, against the drill environment's latest
 * deployment, never rolling back. A check that cannot run (no `watch:`, no deployment there) is
 * inconclusive with its reason: the drill's action already ran and is recorded regardless.
 */
async function verifyDrill(
  context: CliContext,
  options: RunOptions,
  config: CandorConfig,
  service: string,
  environment: string,
  signal: AbortSignal,
): Promise<DrillVerification> {
  if (config.canary === undefined)
    return { verdict: 'inconclusive', summary: 'cannot verify: candor.yml has no canary: source' };
  try {
    const watched = await watchService(() => openCliStore(context, options.db), config, {
      service,
      environment,
      once: true,
      allowRollback: false,
      client: openCanarySource({ config: config.canary, env: context.env, cwd: context.cwd }),
      clock: { now: context.now, sleep: (ms, s) => systemClock.sleep(ms, s) },
      cwd: context.cwd,
      env: context.env,
      signal,
    });
    return {
      verdict: watched.verdict,
      summary:
        `${watched.deployment ?? ''} ${watched.verdict}: ${watched.findings.map((f) => `${f.metric} ${f.detector} ${f.result}`).join(', ')}`.trim(),
    };
  } catch (error) {
    if (error instanceof CandorError && error.code === 'usage')
      return { verdict: 'inconclusive', summary: `cannot verify: ${error.message}` };
    throw error;
  }
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
  )
    .option(
      '--verify',
      'after the action, check the service with its watch (candor.yml watch:, once) in the drill environment; recorded in the drill event, a degraded check fails the drill',
    )
    .action(async (options: RunOptions) => setExitCode(await run(context, options, 'drill')));

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
