import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { candorBin, launcherFlags } from './run-cli-binary.ts';

/** A running `candor serve` child process. */
export type RunningServer = { url: string; stop(): Promise<void> };

/**
 * Test support: starts the real `candor serve` on a free loopback port (`--port 0`) over the
 * database `db`, with the launcher's flags and a clean environment, and resolves once it
 * listens. Rejects when it exits first. `extraArgs` go after the others (e.g. `--public-dashboard`);
 * `cwd` is the server's working directory (default: this process's; it reads
 * `.candor/quarantine.yml` there), so `db` should be absolute when it is given.
 */
export async function startCandorServe(
  db: string,
  extraArgs: readonly string[] = [],
  options: { cwd?: string } = {},
): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [
      ...launcherFlags,
      candorBin,
      'serve',
      '--port',
      '0',
      '--db',
      db,
      '--log-level',
      'error',
      ...extraArgs,
    ],
    {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let output = '';
  for await (const chunk of child.stdout) {
    output += String(chunk);
    const url = /candor listening on (http:\/\/\S+)/.exec(output)?.[1];
    if (url !== undefined) {
      child.stdout.resume();
      return {
        url,
        async stop() {
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          await once(child, 'exit');
        },
      };
    }
  }
  throw new Error(`candor serve exited before listening: ${stderr}`);
}
