import { Command } from 'commander';
import { loadCandorConfig } from '../../app/config/load-candor-config.ts';
import { watchOnce } from '../../app/watch/watch-once.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeWatch } from '../documents/describe-watch.ts';
import { openCliStore } from '../open-cli-store.ts';
import { configOption, dbOption, jsonOption, markdownOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

type WatchOptions = {
  input?: string;
  service?: string;
  deployment?: string;
  environment: string;
  once?: boolean;
  rollback: boolean;
  config?: string;
  db?: string;
  json?: boolean;
  markdown?: boolean;
};

/** Exit codes of a watch evaluation: 0 healthy, 1 degraded, 3 inconclusive. */
const exitOf = { healthy: exitCodes.ok, degraded: exitCodes.rejected, inconclusive: 3 } as const;

/** `candor watch` (README "candor watch"): the post-deploy watch, once, over collected data. */
export const watchCommand: CommandFactory = (context, setExitCode) =>
  new Command('watch')
    .description(
      'the post-deploy watch: drift, level shifts, KPIs and SLO burn since a deploy; exit 0 healthy, 1 degraded, 3 inconclusive',
    )
    .option('--input <file>', 'evaluate data already collected (JSON: README "candor watch"), once')
    .option('--service <name>', 'the service (overrides the input file)')
    .option('--deployment <id>', 'the deployment watched (overrides the input file)')
    .option('--environment <name>', 'where a rollback runs', 'production')
    .option('--once', 'evaluate now and exit (implied by --input)')
    .option('--no-rollback', 'never run the rollback action, even when a metric asks for it')
    .addOption(configOption())
    .addOption(dbOption())
    .addOption(jsonOption())
    .addOption(markdownOption())
    .action(async (options: WatchOptions) => {
      if (options.input === undefined)
        throw new CandorError(
          'usage',
          'candor watch needs --input FILE for now: querying the metric sources of candor.yml watch: on a schedule comes with the sources family (README "candor watch")',
        );
      const loaded = loadCandorConfig({ cwd: context.cwd, path: options.config });
      if (!loaded.ok)
        throw new CandorError(
          'usage',
          loaded.errors.map((p) => formatProblem(p, options.config ?? 'candor.yml')).join('\n'),
        );
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const report = await watchOnce(
          () => openCliStore(context, options.db),
          loaded.value.config,
          {
            cwd: context.cwd,
            input: options.input,
            service: options.service,
            deployment: options.deployment,
            environment: options.environment,
            allowRollback: options.rollback,
            env: context.env,
            now: context.now,
            signal: controller.signal,
          },
        );
        for (const warning of [...report.warnings, ...(report.rollbackRun?.warnings ?? [])])
          context.stderr.write(`warning: ${warning}\n`);
        if (options.json) context.stdout.write(`${JSON.stringify(report)}\n`);
        else writeDocument(context.stdout, describeWatch(report), { markdown: options.markdown });
        setExitCode(exitOf[report.verdict]);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
