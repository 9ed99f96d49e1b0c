import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candorBin } from '../../testing/run-cli-binary.ts';

const run = promisify(execFile);
const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');

/** The shell block after `<!-- example:webhooks -->` in README.md, and the answer it documents. */
function readmeExample(): { script: string; answer: unknown } {
  const block = /<!-- example:webhooks -->\n+```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error('README.md has no webhooks example');
  const answer = /^# (\{.*\})$/m.exec(block)?.[1];
  if (answer === undefined) throw new Error('the webhooks example documents no answer');
  return { script: block, answer: JSON.parse(answer) };
}

describe('candor serve with a webhook secret in its environment', () => {
  let dir: string;
  let server: ReturnType<typeof spawn>;
  let base = '';
  const secret = 'readme-secret';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-webhooks-'));
    server = spawn(
      process.execPath,
      [candorBin, 'serve', '--port', '0', '--db', join(dir, 'w.db'), '--log-level', 'error'],
      {
        env: { PATH: process.env['PATH'] ?? '', CANDOR_GITHUB_WEBHOOK_SECRET: secret },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    for await (const chunk of server.stdout ?? []) {
      output += String(chunk);
      base = /candor listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
      if (base) break;
    }
  });
  afterAll(async () => {
    server.kill('SIGTERM');
    if (server.exitCode === null) await once(server, 'exit');
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs README's example: the signed delivery is stored, and stored once when redelivered", async () => {
    const { script, answer } = readmeExample();
    const env = { PATH: process.env['PATH'] ?? '', SECRET: secret, CANDOR_URL: base };
    const first = await run('bash', ['-euo', 'pipefail', '-c', script], { env });
    expect(JSON.parse(first.stdout)).toEqual(answer);
    const again = await run('bash', ['-euo', 'pipefail', '-c', script], { env });
    expect(JSON.parse(again.stdout)).toMatchObject({ stored: 0, duplicates: 1 });
  });

  it('refuses the example signed with another secret (401), and answers 404 for a receiver that is off', async () => {
    const { script } = readmeExample();
    const env = { PATH: process.env['PATH'] ?? '', SECRET: 'not-it', CANDOR_URL: base };
    const refused = await run('bash', ['-euo', 'pipefail', '-c', script], { env });
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'unauthorized' } });
    const off = await fetch(`${base}/api/v1/webhooks/gitlab`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(off.status).toBe(404);
    expect(await off.json()).toMatchObject({
      error: { message: expect.stringContaining('set CANDOR_GITLAB_WEBHOOK_TOKEN') },
    });
  });
});
