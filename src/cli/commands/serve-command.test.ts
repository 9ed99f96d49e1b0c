import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import { openStore } from '../../store/open-store.ts';
import { candorBin } from '../../testing/run-cli-binary.ts';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

describe('candor serve', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-serve-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['--body-limit', '0'],
    ['--body-limit', 'lots'],
    ['--events-body-limit', '-1'],
    ['--events-body-limit', ''],
  ])('exits 2 for %s %j', async (flag, value) => {
    const result = await runCliInProcess(['serve', '--port', '0', flag, value], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${flag}: expected a positive number of MiB`);
  });

  it('applies --events-body-limit to POST /api/v1/events and --body-limit to test reports', async () => {
    const db = join(dir, 'limits.db');
    const store = await openStore({ kind: 'sqlite', path: db });
    const { secret } = await createApiToken(store, {
      name: 'ci',
      scopes: ['ingest'],
      now: new Date().toISOString(),
    });
    await store.close();
    const server = spawn(
      process.execPath,
      [candorBin, 'serve', '--port', '0', '--db', db, '--log-level', 'error'].concat([
        '--events-body-limit',
        String(1 / 1024),
        '--body-limit',
        String(2 / 1024),
      ]),
      { env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      let output = '';
      let base = '';
      for await (const chunk of server.stdout) {
        output += String(chunk);
        base = /candor listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
        if (base) break;
      }
      const post = async (path: string, body: string) => {
        const response = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body,
        });
        return { status: response.status, body: (await response.json()) as { error: unknown } };
      };
      const large = ' '.repeat(3 * 1024);
      expect(await post('/api/v1/events', large)).toEqual({
        status: 413,
        body: {
          error: {
            code: 'payload-too-large',
            message:
              'the body is 3,072 bytes; POST /api/v1/events accepts at most 1 KiB (candor serve --events-body-limit <MiB>)',
          },
        },
      });
      expect((await post('/api/v1/test-reports', large)).body.error).toMatchObject({
        message: expect.stringContaining('accepts at most 2 KiB (candor serve --body-limit <MiB>)'),
      });
    } finally {
      server.kill('SIGTERM');
      if (server.exitCode === null) await once(server, 'exit');
    }
  });
});
