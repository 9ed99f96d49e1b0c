import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

describe('candor release', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-release-'));
    writeFileSync(
      join(dir, 'candor.yml'),
      [
        'release:',
        '  waves:',
        '    - { name: canary-region, environments: [ap-southeast-2], bake: 30m, requires: [canary] }',
        '    - { name: big-two, environments: [eu-west-1, us-east-1], bake: 1h, approval: true }',
        '    - { name: rest, environments: [us-west-2] }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir });
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const event = (type: string, environment: string, minutesAgo: number, ...more: string[]) =>
    cli([
      'event',
      type,
      '--service',
      'checkout',
      '--deployment',
      'v1.42',
      '--environment',
      environment,
      '--occurred-at',
      at(minutesAgo),
      ...more,
    ]);
  const next = async () => {
    const result = await cli([
      'release',
      'next',
      '--service',
      'checkout',
      '--deployment',
      'v1.42',
      '--json',
    ]);
    return {
      code: result.code,
      ...(JSON.parse(result.stdout) as { decision: string; wave: string | null; reason: string }),
    };
  };

  it('prints the plan', async () => {
    const plan = await cli(['release', 'plan', '--service', 'checkout']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('release plan of checkout: 3 waves');
    expect(plan.stdout).toMatch(/big-two\s+eu-west-1, us-east-1\s+1h\s+-\s+yes/);
  });

  it('goes, waits and stops as the ledger says (exit 0, 3, 1)', async () => {
    expect(await next()).toMatchObject({ code: 0, decision: 'go', wave: 'canary-region' });
    expect((await event('canary_started', 'ap-southeast-2', 50)).code).toBe(0);
    expect(await next()).toMatchObject({ code: 3, decision: 'wait', wave: 'canary-region' });
    expect((await event('canary_promoted', 'ap-southeast-2', 40)).code).toBe(0);
    expect(await next()).toMatchObject({
      code: 3,
      decision: 'wait',
      wave: 'big-two',
      reason: 'wave big-two needs an approval: candor release approve --wave big-two',
    });

    const approve = await cli([
      'release',
      'approve',
      '--service',
      'checkout',
      '--deployment',
      'v1.42',
      '--wave',
      'big-two',
      '--by',
      '@release-manager',
    ]);
    expect([approve.code, approve.stdout]).toEqual([
      0,
      'approved wave big-two of v1.42 (@release-manager)\n',
    ]);
    const again = await cli([
      'release',
      'approve',
      '--service',
      'checkout',
      '--deployment',
      'v1.42',
      '--wave',
      'big-two',
    ]);
    expect(again.stdout).toContain('was already approved');
    expect(await next()).toMatchObject({ code: 0, decision: 'go', wave: 'big-two' });

    await event('deploy_finished', 'eu-west-1', 5, '--result', 'success');
    await event('deploy_finished', 'us-east-1', 4, '--result', 'success');
    const baking = await cli(['release', 'next', '--service', 'checkout', '--deployment', 'v1.42']);
    expect(baking.code).toBe(3);
    expect(baking.stdout).toMatch(/^… wait: wave big-two is baking until /);

    await event('rollback_triggered', 'us-east-1', 1);
    expect(await next()).toMatchObject({
      code: 1,
      decision: 'stop',
      wave: 'big-two',
      reason: expect.stringContaining('us-east-1: a rollback was triggered'),
    });
  }, 120_000);

  it('names an unknown wave and a missing plan (exit 2)', async () => {
    const wave = await cli([
      'release',
      'approve',
      '--service',
      'checkout',
      '--deployment',
      'v1',
      '--wave',
      'everything',
    ]);
    expect(wave.code).toBe(2);
    expect(wave.stderr).toContain(
      'no wave "everything" in the release plan of checkout (waves: canary-region, big-two, rest)',
    );
    writeFileSync(join(dir, 'empty.yml'), 'version: 1\n');
    const none = await cli(['release', 'plan', '--service', 'checkout', '--config', 'empty.yml']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('candor.yml has no release: waves');
  });
});
