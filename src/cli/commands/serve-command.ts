import { Command } from 'commander';
import { openCanarySource } from '../../app/canary/open-canary-source.ts';
import { loadCandorConfig } from '../../app/config/load-candor-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { startDashboardReads } from '../../app/dashboard/dashboard-in-worker.ts';
import { buildServer } from '../../server/build-server.ts';
import { webhookSecretsFromEnv } from '../../app/delivery/receive-webhook.ts';
import { describeStoreLocation } from '../../store/open-store.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeMessage } from '../documents/describe-message.ts';
import { openCliStore } from '../open-cli-store.ts';
import { configOption, dbOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';
import { readServerQuarantine } from '../../app/dashboard/read-server-quarantine.ts';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { defaultWatchLeaseMs } from '../../app/watch/served-watches.ts';
import { systemClock } from '../../app/watch/watch-clock.ts';
import { startWatchScheduler, type WatchScheduler } from '../../app/watch/watch-scheduler.ts';
import { formatDuration, parseDuration } from '../../core/lib/parse-duration.ts';
import { messageOf } from '../../core/lib/message-of.ts';

type ServeOptions = {
  host: string;
  port: string;
  db?: string;
  bodyLimit: string;
  eventsBodyLimit: string;
  logLevel: string;
  config?: string;
  publicDashboard?: boolean;
  watchTick: string;
  watchLease: string;
};

/** `candor serve`: the HTTP API until SIGINT or SIGTERM (README "candor serve"). */
export const serveCommand: CommandFactory = (context, setExitCode) =>
  new Command('serve')
    .description('run the HTTP API: test reports, runs, delivery events, DORA, Prometheus /metrics')
    .option('--host <host>', 'address to bind (loopback unless told otherwise)', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '7420')
    .addOption(dbOption())
    .addOption(configOption())
    .option('--body-limit <mb>', 'largest test report body in MiB', '100')
    .option(
      '--events-body-limit <mb>',
      'largest body of POST /api/v1/events and /api/v1/webhooks/* in MiB',
      '10',
    )
    .option(
      '--public-dashboard',
      'serve the dashboard and its reads (GET /api/v1/dashboard…) without a token, read-only',
    )
    .option(
      '--watch-tick <duration>',
      'how often the watch scheduler looks for due watches (watch: in --config)',
      '10s',
    )
    .option(
      '--watch-lease <duration>',
      "how long a replica's claim on a watch lasts; another takes over after it",
      formatDuration(defaultWatchLeaseMs),
    )
    .option('--log-level <level>', 'pino level: fatal, error, warn, info, debug, silent', 'info')
    .action(async (options: ServeOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        throw new CandorError('usage', `--port: expected 0-65535, got "${options.port}"`);
      }
      const bodyLimitBytes = parseMib('--body-limit', options.bodyLimit);
      const eventsBodyLimitBytes = parseMib('--events-body-limit', options.eventsBodyLimit);
      // candor.yml's canary: section turns the canary analyses on (README "Canary analysis").
      const loaded = loadCandorConfig({ cwd: context.cwd, path: options.config });
      if (!loaded.ok) {
        for (const problem of loaded.errors)
          context.stderr.write(`✗ ${formatProblem(problem, options.config ?? 'candor.yml')}\n`);
        throw new CandorError('usage', `${options.config ?? 'candor.yml'}: invalid configuration`);
      }
      const canaryConfig = loaded.value.config.canary;
      const canary =
        canaryConfig === undefined
          ? undefined
          : {
              config: canaryConfig,
              client: openCanarySource({
                config: canaryConfig,
                env: context.env,
                cwd: context.cwd,
              }),
            };
      const watchTickMs = parsePositiveDuration('--watch-tick', options.watchTick);
      const watchLeaseMs = parsePositiveDuration('--watch-lease', options.watchLease);
      const config = loaded.value.config;
      const watches =
        canary === undefined || config.watch === undefined
          ? undefined
          : {
              config,
              client: canary.client,
              cwd: context.cwd,
              env: context.env,
              leaseMs: watchLeaseMs,
            };
      const store = await openCliStore(context, options.db);
      // The dashboard's heavy parts are read in worker threads of their own (docs/adr/0048).
      const dashboardReads = startDashboardReads(store);
      const app = await buildServer({
        store,
        bodyLimitBytes,
        eventsBodyLimitBytes,
        logger: { level: options.logLevel },
        now: context.now,
        webhookSecrets: webhookSecretsFromEnv(context.env),

        canary,
        dashboard: {
          isPublic: options.publicDashboard === true,
          quarantine: () => readServerQuarantine(context.cwd),
          reads: dashboardReads,
        },
        watches,
      });
      // The watch scheduler runs with the server and stops before it closes (docs/adr/0026).
      let scheduler: WatchScheduler | undefined;
      app.addHook('onClose', async () => scheduler?.stop());
      app.addHook('onClose', async () => dashboardReads.close());
      const address = await app.listen({ host: options.host, port });
      app.log.info(
        { dashboardReadWorker: dashboardReads.inWorker },
        dashboardReads.inWorker
          ? "the dashboard's test and delivery panels are read in worker threads"
          : "the dashboard's panels are read on the server's thread",
      );
      if (watches !== undefined)
        scheduler = startWatchScheduler({
          store,
          settings: watches,
          owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
          tickMs: watchTickMs,
          clock: { now: context.now, sleep: (ms, signal) => systemClock.sleep(ms, signal) },
          onTick: (tick) => {
            for (const run of tick.evaluated)
              app.log.info({ watch: run.id, verdict: run.verdict, final: run.final }, 'watch');
            for (const failed of tick.errors)
              app.log.error({ watch: failed.id, err: failed.message }, 'watch evaluation failed');
          },
          onError: (error) => app.log.error({ err: messageOf(error) }, 'watch pass failed'),
        });
      writeDocument(
        context.stdout,
        describeMessage(
          `candor listening on ${address} (database ${describeStoreLocation(store.location)})`,
        ),
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void app
            .close()
            .then(() => store.close())
            .finally(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      setExitCode(exitCodes.ok);
    });

/** A positive duration (`10s`, `1m`) in ms; throws CandorError `usage` naming the flag. */
function parsePositiveDuration(flag: string, text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.value <= 0)
    throw new CandorError(
      'usage',
      `${flag} ${text}: ${parsed.ok ? 'must be positive' : (parsed.errors[0] ?? 'not a duration')} (e.g. 10s, 1m)`,
    );
  return parsed.value;
}

/** A positive number of MiB as bytes; throws CandorError `usage` naming the flag. */
function parseMib(flag: string, value: string): number {
  const mib = Number(value);
  const bytes = Math.round(mib * 1024 * 1024);
  if (!Number.isFinite(mib) || bytes < 1) {
    throw new CandorError('usage', `${flag}: expected a positive number of MiB, got "${value}"`);
  }
  return bytes;
}
