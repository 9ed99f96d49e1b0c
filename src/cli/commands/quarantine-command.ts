import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { addToQuarantine } from '../../app/quarantine/add-to-quarantine.ts';
import { findUnknownKey } from '../../app/quarantine/find-unknown-key.ts';
import { openQuarantine } from '../../app/quarantine/open-quarantine.ts';
import {
  defaultQuarantinePath,
  loadQuarantine,
  removeQuarantineEntry,
} from '../../app/quarantine/quarantine-store.ts';
import { keepNewSuggestions, suggestQuarantine } from '../../app/quarantine/suggest-quarantine.ts';
import {
  QuarantineSuggestions,
  type QuarantineCheck,
  type QuarantineList,
} from '../../contracts/quarantine.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { toIsoDate } from '../../core/lib/time.ts';
import {
  maxQuarantineDays,
  quarantineStatus,
  type QuarantineMode,
} from '../../core/quarantine/quarantine.ts';
import {
  exportQuarantine,
  quarantineExportFormats,
  type QuarantineExportFormat,
} from '../../exporters/quarantine-exporters.ts';
import { callServer, readServerJson } from '../call-server.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeMessage } from '../documents/describe-message.ts';
import {
  describeQuarantineCheck,
  describeQuarantineList,
} from '../documents/describe-quarantine.ts';
import { withStore } from '../open-cli-store.ts';
import {
  addFlakyAnalysisOptions,
  dbOption,
  flagOf,
  flakyQueryOf,
  flakyServerRead,
  jsonOption,
} from '../options.ts';
import { resolveStoreLocation } from '../../store/open-store.ts';
import { writeDocument } from '../write-document.ts';

const fileOption = () =>
  new Option('--file <path>', 'the quarantine file').default(defaultQuarantinePath);

const modeOption = (description: string) =>
  new Option('--mode <mode>', description).choices(['run', 'skip']).default('run');

/** `candor quarantine add|remove|list|check|suggest|export` (README "candor quarantine"). */
export const quarantineCommand: CommandFactory = (context, setExitCode) => {
  const command = new Command('quarantine').description(
    `manage ${defaultQuarantinePath}: tests that run but do not block`,
  );
  const today = () => toIsoDate(context.now());

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
    .addOption(modeOption('run: runs and does not block; skip: the runner skips it'))
    .addOption(fileOption())
    .addOption(dbOption('where to check that a stored test has the key (warns when none has)'))
    .action(
      async (
        key: string,
        options: {
          owner: string;
          reason: string;
          issue?: string;
          expires?: string;
          mode: QuarantineMode;
          file: string;
          db?: string;
        },
      ) => {
        const added = addToQuarantine(
          openQuarantine(context.cwd, options.file),
          { key, ...options },
          today(),
        );
        if (added.ok) {
          const location = resolveStoreLocation({
            db: options.db,
            env: context.env,
            cwd: context.cwd,
          });
          const warning = await findUnknownKey(location, key);
          if (warning !== undefined) context.stderr.write(`warning: ${warning}\n`);
        }
        if (!added.ok) {
          const problem = added.errors[0];
          throw new CandorError(
            'usage',
            `${flagOf(problem?.path)}: ${problem?.message ?? 'invalid'}`,
          );
        }
        writeDocument(
          context.stdout,
          describeMessage(
            `quarantined ${key} (${added.value.mode}) until ${added.value.expires} in ${options.file}`,
          ),
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
      removeQuarantineEntry(openQuarantine(context.cwd, options.file), key);
      writeDocument(context.stdout, describeMessage(`removed ${key} from ${options.file}`));
      setExitCode(exitCodes.ok);
    });

  command
    .command('list')
    .description('list quarantined tests')
    .addOption(fileOption())
    .addOption(jsonOption())
    .action((options: { file: string; json?: boolean }) => {
      const { file } = openQuarantine(context.cwd, options.file);
      const tests = file.tests.map((e) => ({ ...e, status: quarantineStatus(e, today()) }));
      if (options.json)
        context.stdout.write(`${JSON.stringify({ tests } satisfies QuarantineList)}\n`);
      else writeDocument(context.stdout, describeQuarantineList(options.file, tests));
      setExitCode(exitCodes.ok);
    });

  command
    .command('check')
    .description(
      'validate the file; warn about entries expiring within 7 days; exit 1 on expired entries',
    )
    .addOption(fileOption())
    .addOption(jsonOption())
    .action((options: { file: string; json?: boolean }) => {
      const loaded = loadQuarantine(resolve(context.cwd, options.file));
      if (!loaded.ok) {
        // Every problem, each with its place; --json still prints a result.
        const check: QuarantineCheck = {
          valid: false,
          problems: loaded.errors,
          entries: 0,
          expiring: [],
          expired: [],
        };
        if (options.json) context.stdout.write(`${JSON.stringify(check)}\n`);
        else
          for (const problem of loaded.errors) {
            const message = problem.path ? `${problem.path}: ${problem.message}` : problem.message;
            context.stderr.write(
              `${formatProblem(problem.line === null ? { message } : { message, line: problem.line, column: problem.column ?? 1 }, options.file)}\n`,
            );
          }
        setExitCode(exitCodes.rejected);
        return;
      }
      const { file } = loaded.value;
      const on = today();
      const check: QuarantineCheck = {
        valid: true,
        problems: [],
        entries: file.tests.length,
        expiring: file.tests.filter((e) => quarantineStatus(e, on) === 'expiring'),
        expired: file.tests.filter((e) => quarantineStatus(e, on) === 'expired'),
      };
      if (options.json) context.stdout.write(`${JSON.stringify(check)}\n`);
      else writeDocument(context.stdout, describeQuarantineCheck(options.file, check));
      setExitCode(check.expired.length > 0 ? exitCodes.rejected : exitCodes.ok);
    });

  addFlakyAnalysisOptions(
    command
      .command('suggest')
      .description('propose entries for flaky tests (never for broken ones); --write adds them')
      .option('--write', 'add the suggestions to the file')
      .addOption(modeOption('mode of the suggested entries'))
      .addOption(fileOption()),
  ).action(
    async (options: {
      write?: boolean;
      mode: QuarantineMode;
      file: string;
      db?: string;
      server?: string;
      json?: boolean;
      defaultBranch?: string;
    }) => {
      const quarantine = openQuarantine(context.cwd, options.file);
      const write = options.write === true;
      let result: QuarantineSuggestions;
      if (options.server !== undefined) {
        // The server proposes an entry for every flaky test; the file here says which are new.
        const response = await callServer(
          context,
          options.server,
          flakyServerRead(context, options, '/api/v1/quarantine/suggestions', {
            mode: options.mode,
          }),
        );
        const proposed = QuarantineSuggestions.parse(
          await readServerJson(response, QuarantineSuggestions),
        );
        result = keepNewSuggestions(quarantine, proposed.suggestions, write);
      } else {
        const flaky = flakyQueryOf(context, options);
        result = await withStore(context, options.db, (store) =>
          suggestQuarantine(store, {
            flaky,
            quarantine,
            mode: options.mode,
            today: today(),
            write,
          }),
        );
      }
      const { suggestions, written } = result;
      if (options.json)
        context.stdout.write(
          `${JSON.stringify({ suggestions, written } satisfies QuarantineSuggestions)}\n`,
        );
      else if (suggestions.length === 0)
        writeDocument(context.stdout, describeMessage('no flaky test needs quarantining'));
      else {
        // YAML to paste into the file: data, not a rendering.
        context.stdout.write(stringify({ tests: suggestions }));
        if (written)
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
      const { file } = openQuarantine(context.cwd, options.file);
      const active = file.tests.filter((e) => quarantineStatus(e, today()) !== 'expired');
      const text = exportQuarantine(active, options.format);
      context.stdout.write(text === '' ? '' : `${text}\n`);
      setExitCode(exitCodes.ok);
    });

  return command;
};
