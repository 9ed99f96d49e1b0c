import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

const daysFromToday = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A quarantine file with a typo (`mdoe`) in its first entry and an entry of 90 days. */
const misspelt = `version: 1
tests:
  - key: cart::adds
    owner: "@cart"
    reason: races the mock
    created: ${daysFromToday(-1)}
    expires: ${daysFromToday(10)}
    mdoe: skip
  - key: cart::removes
    owner: "@cart"
    reason: slow
    created: ${daysFromToday(-1)}
    expires: ${daysFromToday(89)}
`;

describe('candor quarantine on a file that is not valid', () => {
  let dir: string;
  const cli = (...args: string[]) => runCliInProcess(args, { cwd: dir });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-quarantine-strict-'));
    mkdirSync(join(dir, '.candor'));
    writeFileSync(join(dir, '.candor', 'quarantine.yml'), misspelt);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('check names every problem with its line:column in plain words, exit 1', async () => {
    const result = await cli('quarantine', 'check');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      '.candor/quarantine.yml:8:5: tests[0]: unknown field "mdoe": the fields are key, owner, reason, issue, created, expires, mode',
      expect.stringMatching(
        /^\.candor\/quarantine\.yml:13:14: tests\[1\]\.expires: at most 30 days after created \(\d{4}-\d\d-\d\d\)$/,
      ),
      '',
    ]);
  });

  it('check --json prints a result saying the file is invalid, with every problem', async () => {
    const result = await cli('quarantine', 'check', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      problems: [
        {
          line: 8,
          column: 5,
          path: 'tests[0]',
          message:
            'unknown field "mdoe": the fields are key, owner, reason, issue, created, expires, mode',
        },
        expect.objectContaining({ line: 13, column: 14, path: 'tests[1].expires' }),
      ],
      entries: 0,
      expiring: [],
      expired: [],
    });
  });

  it('refuses to export or judge with the misspelt file instead of ignoring the field', async () => {
    const exported = await cli('quarantine', 'export', '--format', 'pytest');
    expect(exported.code).toBe(1);
    expect(exported.stdout).toBe('');
    expect(exported.stderr).toContain('.candor/quarantine.yml:8:5: tests[0]: unknown field "mdoe"');
  });

  it('check --json says valid: true with no problems for a good file', async () => {
    writeFileSync(
      join(dir, '.candor', 'quarantine.yml'),
      misspelt.replace('mdoe', 'mode').replace(daysFromToday(89), daysFromToday(20)),
    );
    const result = await cli('quarantine', 'check', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, problems: [], entries: 2 });
    expect(readFileSync(join(dir, '.candor', 'quarantine.yml'), 'utf8')).toContain('mode: skip');
  });
});

describe('candor quarantine add', () => {
  let dir: string;
  const cli = (...args: string[]) => runCliInProcess(args, { cwd: dir });
  const add = (key: string) =>
    cli('quarantine', 'add', key, '--owner', '@cart', '--reason', 'flaky', '--db', 'c.db');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-quarantine-add-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('warns, and still adds the entry, when no stored test has the key or there is no history', async () => {
    const before = await add('cart::adds');
    expect(before.code).toBe(0);
    expect(before.stderr).toMatch(
      /^warning: no test history at .*c\.db to check "cart::adds" against\n$/,
    );
    writeFileSync(
      join(dir, 'r.xml'),
      '<testsuite><testcase classname="cart" name="adds"/><testcase classname="cart" name="removes"/></testsuite>',
    );
    expect((await cli('ingest', 'r.xml', '--repo', 'r', '--db', 'c.db')).code).toBe(0);
    const typo = await add('cart::remvoes');
    expect(typo.code).toBe(0);
    expect(typo.stderr).toBe(
      'warning: no stored test has the key "cart::remvoes" (candor runs and candor tests show print the keys)\n',
    );
    const known = await add('cart::removes');
    expect(known).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(dir, '.candor', 'quarantine.yml'), 'utf8')).toContain('cart::remvoes');
  });
});
