import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpReceiver } from '../../testing/http-receiver.ts';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

const node = process.execPath;
const day = 86_400_000;

describe('candor rollback', () => {
  let dir: string;
  let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-rollback-'));
    receiver = await startHttpReceiver(() => ({ status: 500, body: 'argo is down' }));
    const record = `require('fs').appendFileSync('rolled-back.txt', JSON.stringify([...process.argv.slice(1), process.env.CANDOR_DEPLOYMENT ?? null]) + '\\n')`;
    writeFileSync(
      join(dir, 'candor.yml'),
      [
        'version: 1',
        'services:',
        '  checkout:',
        '    rollback:',
        '      kind: exec',
        `      argv: [${JSON.stringify(node)}, -e, ${JSON.stringify(record)}, "{{environment}}", "{{reason}}"]`,
        '      timeout: 30s',
        '  web:',
        '    rollback:',
        '      kind: webhook',
        `      url: ${receiver.url}/rollback/{{service}}`,
        '      retries: 0',
        '    drill: { environment: qa, maxAgeDays: 7 }',
        '  legacy:',
        '    rollback: { kind: dry-run, message: "page @ops to run helm rollback legacy" }',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir });
  const ago = (days: number) => new Date(Date.now() - days * day).toISOString();

  it('runs the action against the latest deployment and records trigger and finish, which DORA counts', async () => {
    const deploy = await cli([
      'event',
      'deploy_started',
      '--service',
      'checkout',
      '--environment',
      'production',
      '--deployment',
      'd-7',
      '--commit',
      'abc',
      '--occurred-at',
      ago(0.01),
    ]);
    expect(deploy.code, deploy.stderr).toBe(0);
    const result = await cli([
      'rollback',
      '--service',
      'checkout',
      '--reason',
      'error spike',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout);
    expect(run).toMatchObject({
      service: 'checkout',
      environment: 'production',
      purpose: 'rollback',
      action: 'exec',
      deployment: 'd-7',
      dryRun: false,
      outcome: { result: 'success', message: 'exited with 0' },
      recorded: [{ type: 'rollback_triggered' }, { type: 'rollback_finished' }],
    });
    expect(readFileSync(join(dir, 'rolled-back.txt'), 'utf8')).toBe(
      `${JSON.stringify(['production', 'error spike', 'd-7'])}\n`,
    );
    const dora = JSON.parse((await cli(['dora', '--service', 'checkout', '--json'])).stdout);
    const [report] = dora.services ?? [dora];
    expect(report).toMatchObject({ failedDeployments: 1, rollbackSuccessRate: 1 });
  });

  it('records a failed action as a failed rollback and exits 1', async () => {
    const result = await cli(['rollback', '--service', 'web', '--deployment', 'w-1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^✗ rollback of web in production failed in \d+\.\d s \(webhook: HTTP 500\)/,
    );
    expect(result.stdout).toContain(
      'recorded rollback_triggered and rollback_finished for deployment w-1',
    );
    expect(receiver.requests.at(-1)).toMatchObject({ method: 'POST', path: '/rollback/web' });
  });

  it('warns when no deployment is known, and refuses an action whose placeholders have no value (exit 2)', async () => {
    const web = await cli(['rollback', '--service', 'web', '--environment', 'eu-west', '--json']);
    expect(web.code).toBe(1);
    expect(web.stderr).toContain('warning: no deployment of web in eu-west');
    expect(JSON.parse(web.stdout).deployment).toBeNull();
    const before = readFileSync(join(dir, 'rolled-back.txt'), 'utf8');
    const checkout = await cli(['rollback', '--service', 'checkout', '--environment', 'eu-west']);
    expect(checkout.code).toBe(2);
    expect(checkout.stderr).toContain(
      'the rollback action of checkout cannot run: argv[4]: {{reason}} has no value here',
    );
    expect(readFileSync(join(dir, 'rolled-back.txt'), 'utf8')).toBe(before);
  });

  it('--dry-run prints the plan and runs and records nothing; so does a dry-run action', async () => {
    const before = readFileSync(join(dir, 'rolled-back.txt'), 'utf8');
    const dry = await cli(['rollback', '--service', 'checkout', '--reason', 'test', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: the rollback of checkout in production would (exec):');
    expect(dry.stdout).toContain('nothing ran and nothing was recorded');
    expect(readFileSync(join(dir, 'rolled-back.txt'), 'utf8')).toBe(before);
    const legacy = await cli(['rollback', '--service', 'legacy', '--json']);
    expect(legacy.code).toBe(0);
    expect(JSON.parse(legacy.stdout)).toMatchObject({
      dryRun: true,
      recorded: [],
      plan: ['would: page @ops to run helm rollback legacy'],
    });
    expect(legacy.stderr).toContain('is dry-run: nothing ran and nothing was recorded');
  });

  it('rehearses in staging, lists drills, and flags missing, failed and stale ones (exit 1)', async () => {
    const drill = await cli([
      'rollback',
      'drill',
      '--service',
      'checkout',
      '--reason',
      'monthly',
      '--json',
    ]);
    expect(drill.code, drill.stderr).toBe(0);
    expect(JSON.parse(drill.stdout)).toMatchObject({
      environment: 'staging',
      purpose: 'drill',
      recorded: [{ type: 'rollback_drill' }],
    });
    expect(readFileSync(join(dir, 'rolled-back.txt'), 'utf8')).toContain(
      JSON.stringify(['staging']).slice(0, -1),
    );

    const failed = await cli(['rollback', 'drill', '--service', 'web']);
    expect(failed.code).toBe(1);
    const old = await cli([
      'event',
      'rollback_drill',
      '--service',
      'legacy',
      '--environment',
      'staging',
      '--result',
      'success',
      '--occurred-at',
      ago(40),
    ]);
    expect(old.code, old.stderr).toBe(0);

    const list = await cli(['rollback', 'drills', '--json']);
    expect(list.code).toBe(1);
    const rows = JSON.parse(list.stdout).drills.map(
      (r: { service: string; environment: string; status: string; maxAgeDays: number }) => [
        r.service,
        r.environment,
        r.status,
        r.maxAgeDays,
      ],
    );
    expect(rows).toEqual([
      ['checkout', 'staging', 'fresh', 30],
      ['legacy', 'staging', 'stale', 30],
      ['web', 'qa', 'failed', 7],
    ]);
    const text = await cli(['rollback', 'drills']);
    expect(text.stdout).toContain('2 of 3 need a drill: legacy (staging: stale), web (qa: failed)');
    const one = await cli(['rollback', 'drills', '--service', 'checkout']);
    expect(one.code).toBe(0);
  });

  it('refuses a drill against production and names an unknown service (exit 2)', async () => {
    const production = await cli([
      'rollback',
      'drill',
      '--service',
      'checkout',
      '--environment',
      'production',
    ]);
    expect(production.code).toBe(2);
    expect(production.stderr).toContain('a drill runs against a non-production environment');
    const unknown = await cli(['rollback', '--service', 'billing']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'candor.yml has no services.billing.rollback; services with a config: checkout, web, legacy',
    );
  });

  it('names file:line:column of a bad action config and runs nothing (exit 2)', async () => {
    writeFileSync(
      join(dir, 'bad.yml'),
      'services:\n  api:\n    rollback:\n      kind: exec\n      argv: kubectl rollout undo\n',
    );
    const result = await cli(['rollback', '--service', 'api', '--config', 'bad.yml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yml:5:\d+: .*array/i);
    expect(existsSync(join(dir, 'bad.yml'))).toBe(true);
  });
});
