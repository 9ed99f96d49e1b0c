import { Command } from 'commander';
import { CandorError } from '../../core/candor-error.ts';
import { buildServer } from '../../server/build-server.ts';
import { describeStoreLocation } from '../../store/open-store.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { openCliStore } from '../open-cli-store.ts';

type ServeOptions = {
  host: string;
  port: string;
  db?: string;
  bodyLimit: string;
  logLevel: string;
};

export function serveCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('serve')
    .description('run the HTTP API: test reports, runs, delivery events, DORA, Prometheus /metrics')
    .option('--host <host>', 'address to bind (loopback unless told otherwise)', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '7420')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .option('--body-limit <mb>', 'largest request body in MiB', '100')
    .option('--log-level <level>', 'pino level: fatal, error, warn, info, debug, silent', 'info')
    .action(async (options: ServeOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        throw new CandorError('usage', `--port: expected 0-65535, got "${options.port}"`);
      }
      const bodyLimitMb = Number(options.bodyLimit);
      if (!Number.isFinite(bodyLimitMb) || bodyLimitMb <= 0) {
        throw new CandorError(
          'usage',
          `--body-limit: expected a positive number of MiB, got "${options.bodyLimit}"`,
        );
      }
      const store = await openCliStore(context, options.db);
      const app = await buildServer({
        store,
        bodyLimitBytes: Math.round(bodyLimitMb * 1024 * 1024),
        logger: { level: options.logLevel },
        now: context.now,
      });
      const address = await app.listen({ host: options.host, port });
      context.stdout.write(
        `candor listening on ${address} (database ${describeStoreLocation(store.location)})\n`,
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
}
