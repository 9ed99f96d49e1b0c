import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Test support: the Prometheus binary tests start (Debian's `prometheus` package). */
export const prometheusBinary = process.env['CANDOR_TEST_PROMETHEUS'] ?? '/usr/bin/prometheus';

/** A free TCP port on the loopback interface (the OS picks one; it is released before use). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Test support: a real Prometheus on a free loopback port, with a temporary storage directory,
 * scraping `targets` (`host:port`, each its own job `target-<i>`, path `/metrics`) every
 * `scrapeInterval` (default `1s`; evaluation too). Resolves once `/-/ready` answers 200 (within
 * 30 s, else it rejects with Prometheus's output). `stop()` ends the process (SIGTERM, then
 * SIGKILL after 5 s) and deletes the storage; calling it twice is harmless.
 */
export async function startPrometheus(options: {
  targets: string[];
  scrapeInterval?: string;
  /**
   * History to load before it starts: OpenMetrics text with timestamps (ending `# EOF`),
   * backfilled by `promtool tsdb create-blocks-from openmetrics`, so hours of data are there
   * at once.
   */
  backfill?: string;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const interval = options.scrapeInterval ?? '1s';
  const dir = mkdtempSync(join(tmpdir(), 'candor-prometheus-'));
  if (options.backfill !== undefined) backfillTsdb(dir, options.backfill);
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    `  scrape_timeout: ${interval}`,
    'scrape_configs:',
    ...options.targets.flatMap((target, i) => [
      `  - job_name: target-${i}`,
      '    static_configs:',
      `      - targets: [${JSON.stringify(target)}]`,
    ]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), `${config}\n`);
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    prometheusBinary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await terminate(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/** Test support: the promtool binary that backfills a TSDB (Debian's `prometheus` package). */
export const promtoolBinary = process.env['CANDOR_TEST_PROMTOOL'] ?? '/usr/bin/promtool';

function backfillTsdb(dir: string, openMetrics: string) {
  writeFileSync(join(dir, 'backfill.om'), openMetrics);
  const result = spawnSync(
    promtoolBinary,
    ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'backfill.om'), join(dir, 'data')],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(
      `promtool could not backfill (${result.status}):\n${result.stderr}${result.stdout}`,
    );
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`prometheus at ${url} was not ready within 30 s:\n${output()}`);
}

async function terminate(child: ChildProcess, exited: Promise<void>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
