import { Command, InvalidArgumentError, Option } from 'commander';
import { chaosReadiness, judgeDriftEntries } from '../../app/chaos/chaos-readiness.ts';
import { checkChaosFiles, loadChaosCatalog } from '../../app/chaos/load-chaos-catalog.ts';
import { recordGameDay } from '../../app/chaos/record-game-day.ts';
import { loadCandorConfig } from '../../app/config/load-candor-config.ts';
import { chaosExperimentJsonSchema } from '../../core/chaos/chaos-experiment.ts';
import { scheduleChaos } from '../../core/chaos/chaos-schedule.ts';
import { gameDayResults, type GameDayResult } from '../../core/chaos/game-day-record.ts';
import { summarizeGameDays } from '../../core/chaos/summarize-game-days.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import type { CandorConfig } from '../../config/candor-config.ts';
import { exitCodes, type CliContext, type CommandFactory } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';
import { configOption, dbOption, jsonOption } from '../options.ts';

/** `candor chaos ready`: 3 when the answer is unknown (README "candor chaos"). */
const unknownExitCode = 3;

function configOf(context: CliContext, path: string | undefined): CandorConfig {
  const loaded = loadCandorConfig({ cwd: context.cwd, path });
  if (!loaded.ok)
    throw new CandorError(
      'usage',
      loaded.errors.map((p) => formatProblem(p, path ?? 'candor.yml')).join('\n'),
    );
  return loaded.value.config;
}

const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected seconds, 0 or more');
  return n;
};
const quarter = (value: string): string => {
  if (!/^\d{4}Q[1-4]$/.test(value))
    throw new InvalidArgumentError('expected a quarter such as 2026Q4');
  return value;
};
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `candor chaos check|list|ready|record|report|schema` (README "candor chaos"). */
export const chaosCommand: CommandFactory = (context, setExitCode) => {
  const chaos = new Command('chaos').description(
    'the chaos-experiment catalog and its game days: check, list, ready, record, report',
  );

  chaos
    .command('check')
    .description('validate every catalog entry and game-day record; exit 1 when one is invalid')
    .addOption(configOption())
    .addOption(
      jsonOption('print JSON: {"ok", "experiments", "problems": [{file, line, column, message}]}'),
    )
    .action((options: { config?: string; json?: boolean }) => {
      const { catalog, problems } = checkChaosFiles(context.cwd, configOf(context, options.config));
      if (options.json)
        context.stdout.write(
          `${JSON.stringify({ ok: problems.length === 0, experiments: catalog.entries.length, gameDays: catalog.records.length, problems })}\n`,
        );
      else {
        for (const p of problems) context.stdout.write(`${formatProblem(p, p.file)}\n`);
        context.stdout.write(
          problems.length === 0
            ? `${catalog.entries.length} experiment(s), ${catalog.records.length} game day(s) in ${catalog.catalogDir}: ok\n`
            : `${problems.length} problem(s) in ${catalog.catalogDir}\n`,
        );
      }
      setExitCode(problems.length === 0 ? exitCodes.ok : exitCodes.rejected);
    });

  chaos
    .command('schema')
    .description('print the JSON Schema of a catalog entry (for editors)')
    .action(() => {
      context.stdout.write(`${JSON.stringify(chaosExperimentJsonSchema(), null, 2)}\n`);
    });

  chaos
    .command('list')
    .description('experiments with their last game day and next due date')
    .option('--due', 'only experiments whose game day is due (exit 1 when there is one)')
    .addOption(configOption())
    .addOption(
      jsonOption('print JSON: {"experiments": [{id, service, lastGameDay, nextDue, isDue, …}]}'),
    )
    .action((options: { due?: boolean; config?: string; json?: boolean }) => {
      const catalog = loadChaosCatalog(context.cwd, configOf(context, options.config));
      for (const p of catalog.problems)
        context.stderr.write(
          `warning: ${formatProblem(p, p.file)} (left out; run candor chaos check)\n`,
        );
      const rows = scheduleChaos(
        catalog.entries.map((e) => e.experiment),
        catalog.records.map((r) => r.record),
        context.now(),
      ).filter((r) => options.due !== true || r.isDue);
      if (options.json) context.stdout.write(`${JSON.stringify({ experiments: rows })}\n`);
      else {
        if (rows.length === 0)
          context.stdout.write(
            options.due ? 'no game day is due\n' : `no experiments in ${catalog.catalogDir}\n`,
          );
        for (const r of rows)
          context.stdout.write(
            `${r.id}  ${r.kind}  ${r.service}  ${r.environment}  every ${r.cadenceDays}d  last ${r.lastGameDay ?? 'never'}${r.lastResult ? ` (${r.lastResult})` : ''}  next ${r.nextDue ?? 'now'}${r.isDue ? '  DUE' : ''}\n`,
          );
      }
      setExitCode(options.due === true && rows.length > 0 ? exitCodes.rejected : exitCodes.ok);
    });

  chaos
    .command('ready')
    .description('may the experiment run now? exit 0 yes, 1 no, 3 unknown')
    .argument('<id>', 'the experiment id')
    .addOption(configOption())
    .addOption(dbOption())
    .addOption(
      jsonOption(
        'print JSON: {experiment, service, answer, errorBudgetRemaining, checks: [{check, status, message}]}',
      ),
    )
    .action(async (id: string, options: { config?: string; db?: string; json?: boolean }) => {
      const config = configOf(context, options.config);
      const readiness = await withStore(context, options.db, (store) =>
        chaosReadiness(store, context.cwd, config, { id, env: context.env, now: context.now() }),
      );
      if (options.json) context.stdout.write(`${JSON.stringify(readiness)}\n`);
      else {
        context.stdout.write(`${readiness.experiment}: ${readiness.answer}\n`);
        for (const c of readiness.checks)
          context.stdout.write(`  ${c.status.padEnd(7)} ${c.check}: ${c.message}\n`);
      }
      setExitCode(
        readiness.answer === 'yes'
          ? exitCodes.ok
          : readiness.answer === 'no'
            ? exitCodes.rejected
            : unknownExitCode,
      );
    });

  chaos
    .command('drift')
    .description(
      'judge the KPI invariants of ai-drift entries now; exit 0 hold, 1 violated, 3 unknown',
    )
    .argument('[id]', 'one entry (default: every ai-drift entry)')
    .addOption(configOption())
    .addOption(
      jsonOption(
        'print JSON: {"entries": [{experiment, service, answer, invariants: [{name, condition, value, status}]}]}',
      ),
    )
    .action(async (id: string | undefined, options: { config?: string; json?: boolean }) => {
      const config = configOf(context, options.config);
      const entries = await judgeDriftEntries(context.cwd, config, {
        id,
        env: context.env,
        now: context.now(),
      });
      if (options.json) context.stdout.write(`${JSON.stringify({ entries })}\n`);
      else {
        if (entries.length === 0) context.stdout.write('no ai-drift entries in the catalog\n');
        for (const e of entries) {
          context.stdout.write(`${e.experiment} (${e.service}, ${e.environment}): ${e.answer}\n`);
          for (const r of e.invariants)
            context.stdout.write(`  ${r.status.padEnd(8)} ${r.message}\n`);
        }
      }
      setExitCode(
        entries.some((e) => e.answer === 'violated')
          ? exitCodes.rejected
          : entries.some((e) => e.answer === 'unknown')
            ? unknownExitCode
            : exitCodes.ok,
      );
    });

  chaos
    .command('record')
    .description(
      'record a game day: a reviewable YAML file beside the catalog and a game_day ledger event',
    )
    .argument('<id>', 'the experiment id')
    .addOption(new Option('--result <result>', 'how it went (required)').choices(gameDayResults))
    .option('--environment <name>', "where it ran (default: the entry's blastRadius.environment)")
    .option('--journal <file>', 'a Chaos Toolkit journal (journal.json): status and deviation')
    .option('--litmus <file>', 'a LitmusChaos ChaosResult (YAML): verdict and probe success')
    .addOption(
      new Option('--rollback-seconds <n>', 'how long the rehearsed rollback took').argParser(
        seconds,
      ),
    )
    .option('--rollback-verified', 'the rollback was rehearsed and the steady state came back')
    .option('--finding <text>', 'a finding (repeatable)', collect, [])
    .addOption(configOption())
    .addOption(dbOption())
    .addOption(jsonOption('print JSON: {file, record, event, warnings}'))
    .action(
      async (
        id: string,
        options: {
          result?: GameDayResult;
          environment?: string;
          journal?: string;
          litmus?: string;
          rollbackSeconds?: number;
          rollbackVerified?: boolean;
          finding: string[];
          config?: string;
          db?: string;
          json?: boolean;
        },
      ) => {
        if (options.result === undefined)
          throw new CandorError(
            'usage',
            `--result is required: one of ${gameDayResults.join(', ')}`,
          );
        const result = options.result;
        const config = configOf(context, options.config);
        const recorded = await withStore(context, options.db, (store) =>
          recordGameDay(store, context.cwd, config, {
            id,
            result,
            environment: options.environment,
            journal: options.journal,
            litmus: options.litmus,
            rollbackSeconds: options.rollbackSeconds,
            rollbackVerified: options.rollbackVerified,
            findings: options.finding,
            now: context.now(),
          }),
        );
        for (const w of recorded.warnings) context.stderr.write(`warning: ${w}\n`);
        if (options.json) context.stdout.write(`${JSON.stringify(recorded)}\n`);
        else
          context.stdout.write(
            `recorded game day of ${id} (${recorded.record.result.status}) in ${recorded.file} and the ledger (game_day)\n`,
          );
      },
    );

  chaos
    .command('report')
    .description(
      'game days per quarter: experiments run, deviations, rollbacks rehearsed and their times',
    )
    .addOption(new Option('--quarter <q>', 'one quarter, e.g. 2026Q4').argParser(quarter))
    .addOption(configOption())
    .addOption(
      jsonOption(
        'print JSON: {"quarters": [{quarter, gameDays, experimentsRun, deviations, rollbacks, …}]}',
      ),
    )
    .action((options: { quarter?: string; config?: string; json?: boolean }) => {
      const catalog = loadChaosCatalog(context.cwd, configOf(context, options.config));
      for (const p of catalog.problems)
        context.stderr.write(
          `warning: ${formatProblem(p, p.file)} (left out; run candor chaos check)\n`,
        );
      const quarters = summarizeGameDays(
        catalog.records.map((r) => r.record),
        options.quarter,
      );
      if (options.json) context.stdout.write(`${JSON.stringify({ quarters })}\n`);
      else {
        if (quarters.length === 0) context.stdout.write(`no game days in ${catalog.gameDaysDir}\n`);
        for (const q of quarters) {
          context.stdout.write(
            `${q.quarter}: ${q.gameDays} game day(s), ${q.experimentsRun} experiment(s) run, ${q.deviations} deviation(s), ${q.aborted} aborted, ${q.findings} finding(s), ${q.rollbacks.length} rollback(s) rehearsed` +
              (q.rollbackSecondsMedian === null
                ? '\n'
                : ` (median ${q.rollbackSecondsMedian}s, longest ${q.rollbackSecondsMax}s)\n`),
          );
          for (const r of q.rollbacks)
            context.stdout.write(
              `  ${r.date} ${r.experiment}: rollback ${r.durationSeconds === null ? '(untimed)' : `${r.durationSeconds}s`}${r.verified ? ', verified' : ', NOT verified'}\n`,
            );
        }
      }
    });
  return chaos;
};
