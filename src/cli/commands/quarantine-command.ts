import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import {
  addQuarantineEntry,
  defaultQuarantinePath,
  loadQuarantine,
  removeQuarantineEntry,
  type LoadedQuarantine,
} from '../../app/quarantine/quarantine-store.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import {
  exportQuarantine,
  quarantineExportFormats,
  type QuarantineExportFormat,
} from '../../exporters/export-quarantine.ts';
import {
  addDays,
  maxQuarantineDays,
  QuarantineEntry,
  quarantineStatus,
  toIsoDate,
} from '../../core/quarantine/quarantine.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { renderTable } from '../render-table.ts';
import { addAnalysisOptions, runFlakyAnalysis } from './flaky-command.ts';

const fileOption = () =>
  new Option('--file <path>', 'the quarantine file').default(defaultQuarantinePath);

/** Loads the quarantine file or throws a CandorError naming the first problem's place. */
export function loadQuarantineOrThrow(context: CliContext, file: string): LoadedQuarantine {
  const loaded = loadQuarantine(resolve(context.cwd, file));
  if (loaded.ok) return loaded.value;
  const first = loaded.errors[0];
  const where = first?.line != null ? `:${first.line}:${first.column ?? 1}` : '';
  throw new CandorError(
    'invalid-input',
    `${file}${where}: ${first?.path ? `${first.path}: ` : ''}${first?.message ?? 'invalid'}`,
  );
}

export function quarantineCommand(
  context: CliContext,
  setExitCode: (code: number) => void,
): Command {
  const command = new Command('quarantine').description(
    `manage ${defaultQuarantinePath}: tests that run but do not block`,
  );

  command
    .command('add')
    .description('quarantine a test by its exact key')
    .argument('<key>', 'the exact test key, as `candor runs`/`tests show` print it')
    .requiredOption('--owner <owner>', 'who fixes it, e.g. @team-cart')
    .requiredOption('--reason <reason>', 'why it is quarantined')
    .option('--issue <url>', 'the issue tracking the fix')
    .option(
      '--expires <date>',
      `YYYY-MM-DD, at most ${maxQuarantineDays} days away (default: the maximum)`,
    )
    .addOption(
      new Option('--mode <mode>', 'run: runs and does not block; skip: the runner skips it')
        .choices(['run', 'skip'])
        .default('run'),
    )
    .addOption(fileOption())
    .action(
      (
        key: string,
        options: {
          owner: string;
          reason: string;
          issue?: string;
          expires?: string;
          mode: 'run' | 'skip';
          file: string;
        },
      ) => {
        const loaded = loadQuarantineOrThrow(context, options.file);
        const created = toIsoDate(context.now());
        const parsed = QuarantineEntry.safeParse({
          key,
          owner: options.owner,
          reason: options.reason,
          issue: options.issue,
          created,
          expires: options.expires ?? addDays(created, maxQuarantineDays),
          mode: options.mode,
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new CandorError(
            'usage',
            `--${String(issue?.path[0] ?? 'key')}: ${issue?.message ?? 'invalid'}`,
          );
        }
        const days = Math.round(
          (Date.parse(parsed.data.expires) - Date.parse(created)) / 86_400_000,
        );
        if (days <= 0 || days > maxQuarantineDays) {
          throw new CandorError(
            'usage',
            `--expires: must be after today and at most ${maxQuarantineDays} days away (${addDays(created, maxQuarantineDays)})`,
          );
        }
        addQuarantineEntry(loaded, parsed.data);
        context.stdout.write(
          `quarantined ${key} (${parsed.data.mode}) until ${parsed.data.expires} in ${options.file}\n`,
        );
        setExitCode(exitCodes.ok);
      },
    );

  command
    .command('remove')
    .description('take a test out of quarantine')
    .argument('<key>')
    .addOption(fileOption())
    .action((key: string, options: { file: string }) => {
      removeQuarantineEntry(loadQuarantineOrThrow(context, options.file), key);
      context.stdout.write(`removed ${key} from ${options.file}\n`);
      setExitCode(exitCodes.ok);
    });

  command
    .command('list')
    .description('list quarantined tests')
    .addOption(fileOption())
    .option('--json', 'print JSON')
    .action((options: { file: string; json?: boolean }) => {
      const { file } = loadQuarantineOrThrow(context, options.file);
      const today = toIsoDate(context.now());
      const tests = file.tests.map((e) => ({ ...e, status: quarantineStatus(e, today) }));
      if (options.json) context.stdout.write(`${JSON.stringify({ tests })}\n`);
      else if (tests.length === 0)
        context.stdout.write(`no tests are quarantined in ${options.file}\n`);
      else
        context.stdout.write(
          renderTable(
            ['key', 'mode', 'owner', 'expires', 'status', 'reason'],
            tests.map((t) => [t.key, t.mode, t.owner, t.expires, t.status, t.reason]),
          ),
        );
      setExitCode(exitCodes.ok);
    });

  command
    .command('check')
    .description(
      'validate the file; warn about entries expiring within 7 days; exit 1 on expired entries',
    )
    .addOption(fileOption())
    .option('--json', 'print JSON')
    .action((options: { file: string; json?: boolean }) => {
      const { file } = loadQuarantineOrThrow(context, options.file);
      const today = toIsoDate(context.now());
      const expiring = file.tests.filter((e) => quarantineStatus(e, today) === 'expiring');
      const expired = file.tests.filter((e) => quarantineStatus(e, today) === 'expired');
      if (options.json) {
        context.stdout.write(
          `${JSON.stringify({ entries: file.tests.length, expiring, expired })}\n`,
        );
      } else {
        for (const e of expiring)
          context.stdout.write(`warning: ${e.key} expires on ${e.expires} (owner ${e.owner})\n`);
        for (const e of expired)
          context.stdout.write(
            `error: ${e.key} expired on ${e.expires} (owner ${e.owner}): fix the test or renew the entry with a new review\n`,
          );
        context.stdout.write(
          `${options.file}: ${file.tests.length} entries, ${expiring.length} expiring, ${expired.length} expired\n`,
        );
      }
      setExitCode(expired.length > 0 ? exitCodes.rejected : exitCodes.ok);
    });

  addAnalysisOptions(
    command
      .command('suggest')
      .description('propose entries for flaky tests (never for broken ones); --write adds them')
      .option('--write', 'add the suggestions to the file')
      .addOption(
        new Option('--mode <mode>', 'mode of the suggested entries')
          .choices(['run', 'skip'])
          .default('run'),
      )
      .addOption(fileOption()),
  ).action(
    async (
      options: Parameters<typeof runFlakyAnalysis>[1] & {
        write?: boolean;
        mode: 'run' | 'skip';
        file: string;
      },
    ) => {
      const loaded = loadQuarantineOrThrow(context, options.file);
      const report = await runFlakyAnalysis(context, options, (analysis) => analysis);
      const known = new Set(loaded.file.tests.map((e) => e.key));
      const created = toIsoDate(context.now());
      const suggestions = report.notable
        .filter((t) => t.classification === 'flaky' && !known.has(t.key))
        .map((t) =>
          QuarantineEntry.parse({
            key: t.key,
            owner: t.owners[0] ?? 'unowned',
            reason: `flaky: ${t.signals.join(', ')}; ${(t.flakyRate * 100).toFixed(1)}% of ${t.executions} runs`,
            created,
            expires: addDays(created, maxQuarantineDays),
            mode: options.mode,
          }),
        );
      if (options.write) {
        let current = loaded;
        for (const entry of suggestions) {
          addQuarantineEntry(current, entry);
          current = loadQuarantineOrThrow(context, options.file);
        }
      }
      if (options.json)
        context.stdout.write(
          `${JSON.stringify({ suggestions, written: options.write === true })}\n`,
        );
      else if (suggestions.length === 0) context.stdout.write('no flaky test needs quarantining\n');
      else {
        context.stdout.write(stringify({ tests: suggestions }));
        if (options.write)
          context.stdout.write(`# added ${suggestions.length} entries to ${options.file}\n`);
      }
      setExitCode(exitCodes.ok);
    },
  );

  command
    .command('export')
    .description('print what a test runner needs to skip the skip-mode tests')
    .addOption(
      new Option('--format <format>', 'runner')
        .choices([...quarantineExportFormats])
        .makeOptionMandatory(),
    )
    .addOption(fileOption())
    .action((options: { format: QuarantineExportFormat; file: string }) => {
      const { file } = loadQuarantineOrThrow(context, options.file);
      const today = toIsoDate(context.now());
      const active = file.tests.filter((e) => quarantineStatus(e, today) !== 'expired');
      const text = exportQuarantine(active, options.format);
      context.stdout.write(text === '' ? '' : `${text}\n`);
      setExitCode(exitCodes.ok);
    });

  return command;
}
