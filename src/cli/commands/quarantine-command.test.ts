import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

const today = new Date().toISOString().slice(0, 10);
const daysFromToday = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('candor quarantine and verdict', () => {
  let dir: string;
  const cli = (...args: string[]) => runCliInProcess(args, { cwd: dir });
  const report = (name: string, cases: string) =>
    writeFileSync(join(dir, name), `<testsuite name="s">${cases}</testsuite>`);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-quarantine-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("adds, lists and removes entries, keeping the reviewers' comments", async () => {
    mkdirSync(join(dir, '.candor'));
    writeFileSync(
      join(dir, '.candor', 'quarantine.yml'),
      '# reviewed by @platform\nversion: 1\ntests: []\n',
    );
    const added = await cli(
      'quarantine',
      'add',
      'shop.Cart::adds',
      '--owner',
      '@cart',
      '--reason',
      'races the mock',
      '--issue',
      'https://issues.example/1',
    );
    expect(added.code).toBe(0);
    await cli(
      'quarantine',
      'add',
      'shop.Cart::removes',
      '--owner',
      '@cart',
      '--reason',
      'timeout',
      '--mode',
      'skip',
      '--expires',
      daysFromToday(3),
    );
    const text = readFileSync(join(dir, '.candor', 'quarantine.yml'), 'utf8');
    expect(text).toContain('# reviewed by @platform');
    expect(text).toContain(`expires: ${daysFromToday(30)}`);
    const list = JSON.parse((await cli('quarantine', 'list', '--json')).stdout);
    expect(list.tests).toEqual([
      expect.objectContaining({
        key: 'shop.Cart::adds',
        owner: '@cart',
        mode: 'run',
        created: today,
        status: 'active',
        issue: 'https://issues.example/1',
      }),
      expect.objectContaining({ key: 'shop.Cart::removes', mode: 'skip', status: 'expiring' }),
    ]);
    expect(
      (await cli('quarantine', 'add', 'shop.Cart::adds', '--owner', 'x', '--reason', 'y')).code,
    ).toBe(1);
    expect((await cli('quarantine', 'remove', 'shop.Cart::adds')).code).toBe(0);
    expect((await cli('quarantine', 'remove', 'shop.Cart::adds')).code).toBe(1);
    expect(JSON.parse((await cli('quarantine', 'list', '--json')).stdout).tests).toHaveLength(1);
  });

  it.each([
    [['--expires', daysFromToday(31)]],
    [['--expires', 'next week']],
    [['--mode', 'mute']],
    [['--issue', 'not a url']],
  ])('refuses add with %j (exit 2)', async (extra) => {
    const result = await cli('quarantine', 'add', 'k', '--owner', 'o', '--reason', 'r', ...extra);
    expect(result.code).toBe(2);
  });

  it('checks: warns before expiry, exits 1 on expired entries and names the line of a bad entry', async () => {
    mkdirSync(join(dir, '.candor'));
    const file = join(dir, '.candor', 'quarantine.yml');
    const entry = (key: string, created: string, expires: string) =>
      `  - key: ${key}\n    owner: "@o"\n    reason: r\n    created: ${created}\n    expires: ${expires}\n`;
    writeFileSync(file, `version: 1\ntests:\n${entry('soon', today, daysFromToday(2))}`);
    const warning = await cli('quarantine', 'check');
    expect(warning.code).toBe(0);
    expect(warning.stdout).toMatch(/warning: soon expires on/);
    writeFileSync(
      file,
      `version: 1\ntests:\n${entry('old', daysFromToday(-20), daysFromToday(-1))}`,
    );
    const expired = await cli('quarantine', 'check', '--json');
    expect(expired.code).toBe(1);
    expect(JSON.parse(expired.stdout).expired).toEqual([expect.objectContaining({ key: 'old' })]);
    writeFileSync(file, `version: 1\ntests:\n${entry('bad', today, daysFromToday(45))}`);
    const invalid = await cli('quarantine', 'check');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/quarantine\.yml:7:\d+: tests\[0\]\.expires: at most 30 days/);
  });

  it('judges a run: 0 when every failure is quarantined, 1 when one is not, 3 without tests', async () => {
    await cli('quarantine', 'add', 's::flaky one', '--owner', '@o', '--reason', 'r');
    report(
      'a.xml',
      '<testcase classname="s" name="flaky one"><failure message="boom"/></testcase><testcase classname="s" name="ok"/>',
    );
    report(
      'b.xml',
      '<testcase classname="s" name="retried"><flakyFailure message="x"/></testcase>',
    );
    const forgiven = await cli('verdict', 'a.xml', 'b.xml', '--json');
    expect(forgiven.code).toBe(0);
    expect(JSON.parse(forgiven.stdout)).toMatchObject({
      verdict: 'pass',
      exitCode: 0,
      tests: 3,
      blocking: [],
      forgiven: [{ key: 's::flaky one', owner: '@o' }],
      flaky: [{ key: 's::retried', status: 'flaky' }],
    });

    report('c.xml', '<testcase classname="s" name="new failure"><error message="NPE"/></testcase>');
    const blocked = await cli('verdict', '*.xml');
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/✗ failed: s::new failure: NPE/);
    expect(blocked.stdout).toMatch(/~ forgiven \(quarantined, owner @o\): s::flaky one/);

    const markdown = await cli('verdict', '*.xml', '--markdown');
    expect(markdown.stdout).toMatch(/^### ❌ candor verdict: fail/);
    expect(markdown.stdout).toContain('| `s::new failure` | NPE |');

    expect((await cli('verdict', 'nothing/*.xml')).code).toBe(3);
    report('empty.xml', '');
    writeFileSync(join(dir, 'empty.xml'), '<testsuites/>');
    expect((await cli('verdict', 'empty.xml')).code).toBe(3);
    writeFileSync(join(dir, 'broken.xml'), '<testsuite><testcase name="x">');
    expect((await cli('verdict', 'broken.xml', 'b.xml')).code).toBe(1);
  });

  it('exports skip-mode tests for runners', async () => {
    await cli(
      'quarantine',
      'add',
      'tests.test_api::test_slow',
      '--owner',
      'o',
      '--reason',
      'r',
      '--mode',
      'skip',
    );
    await cli('quarantine', 'add', 'cart::adds', '--owner', 'o', '--reason', 'r');
    expect((await cli('quarantine', 'export', '--format', 'pytest')).stdout).toBe(
      '--deselect=tests/test_api.py::test_slow\n',
    );
    expect(JSON.parse((await cli('quarantine', 'export', '--format', 'json')).stdout)).toEqual({
      skip: ['tests.test_api::test_slow'],
      run: ['cart::adds'],
    });
    expect((await cli('quarantine', 'export', '--format', 'nunit')).code).toBe(2);
  });
});
