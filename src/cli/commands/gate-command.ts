import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { loadCandorConfig } from '../../app/config/load-candor-config.ts';
import { runGate } from '../../app/gates/run-gate.ts';
import type { GateJson } from '../../contracts/gate.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import type { Store } from '../../store/open-store.ts';
import { exitCodeOfGate, exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeGate } from '../documents/describe-gate.ts';
import { gateJunitXml, githubAnnotations, gitlabCodeQuality } from '../documents/gate-reports.ts';
import { openCliStore } from '../open-cli-store.ts';
import { configOption, dbOption, jsonOption, markdownOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

type GateOptions = {
  config?: string;
  service?: string;
  deployment?: string;
  base?: string;
  json?: boolean;
  markdown?: boolean;
  junit?: string;
  annotations?: boolean;
  gitlabCodequality?: string;
  db?: string;
  record: boolean;
};

/** Writes a report file next to the run, naming it on failure (CandorError `io`). */
function writeReport(cwd: string, file: string, text: string): void {
  try {
    writeFileSync(resolve(cwd, file), text);
  } catch (error) {
    throw new CandorError('io', `cannot write ${file}: ${messageOf(error)}`, { cause: error });
  }
}

/** `candor gate <checklist>`: exit 0 pass (or only warnings), 1 blocked, 2 config or usage error. */
export const gateCommand: CommandFactory = (context, setExitCode) =>
  new Command('gate')
    .description(
      'run a checklist of candor.yml gates: (change, release, incident, quarter, or your own): exit 0 pass, 1 blocked, 2 config error',
    )
    .argument('<checklist>', 'the checklist under gates: in candor.yml')
    .addOption(configOption())
    .option('--service <name>', 'the service (default: the repository name)')
    .option('--deployment <id>', 'the deployment the checklist is about (release gates)')
    .option(
      '--base <ref>',
      'diff against the merge-base with this ref (default: the default branch)',
    )
    .addOption(jsonOption().conflicts(['markdown', 'annotations']))
    .addOption(markdownOption())
    .option('--junit <file>', 'also write the conditions as JUnit XML')
    .option('--annotations', 'also print GitHub Actions ::error/::warning annotations')
    .option('--gitlab-codequality <file>', "also write GitLab's code quality JSON")
    .addOption(dbOption('where the policy_passed/policy_failed event is recorded'))
    .addOption(new Option('--no-record', 'record no ledger event'))
    .action(async (checklist: string, options: GateOptions) => {
      const loaded = loadCandorConfig({ cwd: context.cwd, path: options.config });
      const configPath = options.config ?? 'candor.yml';
      if (!loaded.ok) {
        for (const problem of loaded.errors)
          context.stderr.write(`✗ ${formatProblem(problem, configPath)}\n`);
        setExitCode(exitCodes.usage);
        return;
      }
      if (!loaded.value.found)
        throw new CandorError(
          'usage',
          `${loaded.value.path}: not found (gates are configured there)`,
        );
      let store: Promise<Store> | undefined;
      const openStore = () => (store ??= openCliStore(context, options.db));
      try {
        const run = await runGate({
          root: context.cwd,
          config: loaded.value.config,
          configPath: loaded.value.path,
          checklist,
          now: context.now(),
          service: options.service,
          deployment: options.deployment,
          base: options.base,
          record: options.record,
          store: openStore,
        });
        const exitCode = exitCodeOfGate(run.result);
        if (options.junit !== undefined) writeReport(context.cwd, options.junit, gateJunitXml(run));
        if (options.gitlabCodequality !== undefined)
          writeReport(
            context.cwd,
            options.gitlabCodequality,
            gitlabCodeQuality(run, loaded.value.path),
          );
        if (options.annotations) context.stdout.write(githubAnnotations(run, loaded.value.path));
        if (options.json) {
          const json: GateJson = {
            checklist: run.checklist,
            result: run.result,
            conditions: run.conditions,
            commit: run.commit ?? null,
            service: run.service,
            recorded: run.recorded,
            exitCode,
          };
          context.stdout.write(`${JSON.stringify(json)}\n`);
        } else writeDocument(context.stdout, describeGate(run), options);
        setExitCode(exitCode);
      } finally {
        if (store !== undefined) await (await store).close();
      }
    });
