import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  conformanceContext,
  runRollbackActionConformance,
} from '../rollback-action-conformance.ts';
import { RollbackActionConfig, runRollbackAction } from '../rollback-actions.ts';
import { execAction } from './exec-action.ts';

const node = process.execPath;

runRollbackActionConformance({
  action: execAction,
  samples: (dir) => ({
    working: {
      kind: 'exec',
      argv: [node, '-e', "require('fs').writeFileSync('ran', process.env.CANDOR_SERVICE)"],
    },
    failing: { kind: 'exec', argv: [node, '-e', 'process.exit(3)'] },
    secret: {
      config: {
        kind: 'exec',
        argv: [node, '-e', 'console.log("token is", process.env.DEPLOY_TOKEN)'],
        env: ['DEPLOY_TOKEN'],
      },
      name: 'DEPLOY_TOKEN',
      value: 's3cr3t-value',
    },
    hasRun: () => existsSync(join(dir, 'ran')),
  }),
});

describe('the exec action', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-exec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (config: Record<string, unknown>, env: Record<string, string> = {}) =>
    await runRollbackAction(
      RollbackActionConfig.parse({ kind: 'exec', ...config }),
      conformanceContext(dir, env),
      new AbortController().signal,
    );

  it('passes placeholders as single arguments, never through a shell', async () => {
    const context = conformanceContext(dir);
    context.values.reason = '$(touch pwned) ; echo hi';
    const outcome = await runRollbackAction(
      RollbackActionConfig.parse({
        kind: 'exec',
        argv: [
          node,
          '-e',
          'console.log(JSON.stringify(process.argv.slice(1)))',
          '{{reason}}',
          '{{service}}',
        ],
      }),
      context,
      new AbortController().signal,
    );
    expect(outcome.output.trim()).toBe(JSON.stringify(['$(touch pwned) ; echo hi', 'checkout']));
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('gives the child only PATH, HOME, LANG, TZ, the allow-list and CANDOR_* values', async () => {
    const outcome = await run(
      {
        argv: [
          node,
          '-e',
          'console.log(Object.keys(process.env).filter(k => !k.startsWith("npm_")).sort().join(","))',
        ],
        env: ['ALLOWED'],
      },
      { ALLOWED: 'yes', NOT_ALLOWED: 'no' },
    );
    const names = outcome.output.trim().split(',');
    expect(names).toContain('ALLOWED');
    expect(names).toContain('CANDOR_DEPLOYMENT');
    expect(names).not.toContain('NOT_ALLOWED');
  });

  it('stops the whole process group at the timeout and says so', async () => {
    const started = Date.now();
    const outcome = await run({
      argv: ['sh', '-c', `sleep 30 & echo started; wait`],
      timeout: '300ms',
      killAfter: '200ms',
    });
    expect(outcome.result).toBe('failure');
    expect(outcome.message).toMatch(/^timed out after 0.3s/);
    expect(outcome.output).toContain('started');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('names a program that does not exist', async () => {
    const outcome = await run({ argv: ['candor-no-such-program', 'x'] });
    expect(outcome).toMatchObject({
      result: 'failure',
      message: 'cannot run candor-no-such-program: not found on PATH or not executable',
    });
  });

  it('keeps the head and the tail of long output', async () => {
    const outcome = await run({
      argv: [node, '-e', 'process.stdout.write("BEGIN" + "x".repeat(100000) + "END")'],
      outputLimit: 1000,
    });
    expect(outcome.output.startsWith('BEGIN')).toBe(true);
    expect(outcome.output.endsWith('END')).toBe(true);
    expect(outcome.output).toMatch(/\[\d+ characters left out\]/);
    expect(outcome.output.length).toBeLessThan(1100);
  });

  it('runs in the configured working directory', async () => {
    const outcome = await run({
      argv: [node, '-e', "require('fs').writeFileSync('here', '1')"],
      cwd: '.',
    });
    expect(outcome.result).toBe('success');
    expect(readFileSync(join(dir, 'here'), 'utf8')).toBe('1');
  });

  it('refuses a shell string and a bare-number timeout in the config', () => {
    expect(
      RollbackActionConfig.safeParse({ kind: 'exec', argv: 'kubectl rollout undo' }).success,
    ).toBe(false);
    const parsed = RollbackActionConfig.safeParse({ kind: 'exec', argv: ['x'], timeout: '30' });
    expect(parsed.error?.issues[0]?.message).toContain('expected a duration');
  });
});
