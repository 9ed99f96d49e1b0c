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
import { openCanarySource } from '../../app/canary/open-canary-source.ts';
import { systemClock } from '../../app/watch/watch-clock.ts';
import { watchService } from '../../app/watch/watch-service.ts';
import { parseDuration } from '../../core/lib/parse-duration.ts';

function durationOption(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.value <= 0)
    throw new CandorError(
      'usage',
      `${flag} ${text}: ${parsed.ok ? 'must be positive' : (parsed.errors[0] ?? 'not a duration')} (e.g. 2h, 1m30s)`,
    );
  return parsed.value;
}

type WatchOptions = {
  input?: string;
  service?: string;
  deployment?: string;
  environment: string;
  once?: boolean;
  window?: string;
  every?: string;
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
    .option(
      '--window <duration>',
      'how long after the deploy to watch (default: watch.S.window, 2h)',
    )
    .option('--every <duration>', 'how often to evaluate (default: watch.S.every, 1m)')
    .option('--no-rollback', 'never run the rollback action, even when a metric asks for it')
    .addOption(configOption())
    .addOption(dbOption())
    .addOption(jsonOption())
    .addOption(markdownOption())
    .action(async (options: WatchOptions) => {
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
        if (options.input === undefined) {
          if (options.service === undefined)
            throw new CandorError('usage', 'candor watch needs --service S (or --input FILE)');
          const config = loaded.value.config;
          if (config.canary === undefined)
            throw new CandorError(
              'usage',
              'candor watch --service reads canary.source and canary.metrics: candor.yml has no canary:',
            );
          const live = await watchService(() => openCliStore(context, options.db), config, {
            service: options.service,
            deployment: options.deployment,
            environment: options.environment,
            window: durationOption('--window', options.window),
            every: durationOption('--every', options.every),
            once: options.once === true,
            allowRollback: options.rollback,
            client: openCanarySource({ config: config.canary, env: context.env, cwd: context.cwd }),
            clock: { now: context.now, sleep: (ms, signal) => systemClock.sleep(ms, signal) },
            cwd: context.cwd,
            env: context.env,
            signal: controller.signal,
            onReport: (r) => {
              if (options.once !== true)
                context.stderr.write(
                  `${r.evaluatedAt} ${r.verdict}: ${r.findings.map((f) => `${f.metric} ${f.detector} ${f.result}`).join(', ')}\n`,
                );
            },
          });
          for (const warning of [...live.warnings, ...(live.rollbackRun?.warnings ?? [])])
            context.stderr.write(`warning: ${warning}\n`);
          if (options.json) context.stdout.write(`${JSON.stringify(live)}\n`);
          else writeDocument(context.stdout, describeWatch(live), { markdown: options.markdown });
          setExitCode(exitOf[live.verdict]);
          return;
        }
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
