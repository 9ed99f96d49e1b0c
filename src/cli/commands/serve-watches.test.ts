import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main.ts';

/** In process: the flags are refused before a database is opened or a port bound. */
async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd,
    env: {},
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    now: () => new Date('2026-12-01T00:00:00Z'),
  });
  return { code, stdout, stderr };
}

describe('candor serve --watch-tick and --watch-lease', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-serve-watches-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['--watch-tick', 'soon'],
    ['--watch-tick', '0s'],
    ['--watch-lease', 'forever'],
  ])('exits 2 for %s %s, naming the flag', async (flag, value) => {
    const result = await cli(['serve', '--port', '0', '--db', join(dir, 'x.db'), flag, value], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${flag} ${value}: `);
    expect(result.stderr).toContain('(e.g. 10s, 1m)');
  });
});
