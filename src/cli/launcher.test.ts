import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candorBin, launcherFlags, runCliBinary } from '../testing/run-cli-binary.ts';

/** A Node.js older than the launcher accepts, when this machine has one (Debian's node 20). */
const oldNode = ['/usr/bin/node', '/bin/node'].find((path) => existsSync(path));
const oldNodeVersion =
  oldNode === undefined
    ? undefined
    : (await promisify(execFile)(oldNode, ['--version'])).stdout.trim();
const isOld =
  oldNodeVersion !== undefined && /^v(?:1\d|2[01])\.|^v22\.(?:\d|1[0-7])\./.test(oldNodeVersion);

describe('bin/candor.js', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-launcher-'));
    copyFileSync(
      new URL('../readers/test-results/junit/__fixtures__/producers/surefire.xml', import.meta.url),
      join(dir, 'surefire.xml'),
    );
    const ingest = await runCliBinary(['ingest', 'surefire.xml', '--repo', 'r', '--db', 'c.db'], {
      cwd: dir,
    });
    expect(ingest.code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.runIf(isOld)(
    `says in one line that ${oldNodeVersion ?? 'an old Node.js'} is too old, exit 4`,
    async () => {
      const result = await new Promise<{ code: number | null; stderr: string; stdout: string }>(
        (resolve) => {
          execFile(oldNode ?? 'node', [candorBin, 'runs'], { cwd: dir }, (error, stdout, stderr) =>
            resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
          );
        },
      );
      expect(result).toEqual({
        code: 4,
        stdout: '',
        stderr: `candor needs Node.js 22.18 or newer to run from a checkout; this is Node.js ${oldNodeVersion?.slice(1)} (${oldNode})\n`,
      });
    },
  );

  it.each([['flaky', '--json'], ['runs'], ['flaky']])(
    'exits with the command’s code, without a stack, when stdout closes early (candor %s | head)',
    async (...args) => {
      const child = spawn(
        process.execPath,
        [...launcherFlags, candorBin, ...args, '--db', 'c.db'],
        {
          cwd: dir,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      // The reader goes away before candor writes a byte, as `head -c 0` would.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    },
  );
});
