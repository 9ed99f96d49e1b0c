import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

const producer = (name: string): string =>
  readFileSync(
    new URL(`../../readers/test-results/junit/__fixtures__/producers/${name}`, import.meta.url),
    'utf8',
  );

/** Keys and files of the stored tests, from `candor flaky --json`. */
async function storedTests(cwd: string, db: string) {
  const result = await runCliInProcess(['flaky', '--db', db, '--json', '--min-executions', '1'], {
    cwd,
  });
  expect(result.code, result.stderr).toBe(0);
  return (
    JSON.parse(result.stdout) as { tests: { key: string; file: string | null; owners: string[] }[] }
  ).tests
    .map((t) => ({ key: t.key, file: t.file, owners: t.owners }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

describe('candor ingest: repository-relative paths', () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      cwd: repo,
    });

  beforeAll(() => {
    // A real checkout with a real `node --test` run: Node 24 writes absolute `file` attributes.
    repo = realpathSync(mkdtempSync(join(tmpdir(), 'candor-paths-')));
    mkdirSync(join(repo, 'test'));
    mkdirSync(join(repo, 'e2e'));
    mkdirSync(join(repo, '.github'));
    writeFileSync(
      join(repo, 'test/math.test.mjs'),
      "import { test, describe, it } from 'node:test';\ntest('adds', () => {});\ndescribe('math', () => { it('subtracts', () => {}); });\n",
    );
    writeFileSync(join(repo, 'e2e/flaky.spec.js'), '// a Playwright spec\n');
    writeFileSync(join(repo, 'e2e/math.spec.js'), '// a Playwright spec\n');
    writeFileSync(join(repo, '.github/CODEOWNERS'), '* @acme/platform\ne2e/ @acme/web\n');
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'tests');
    execFileSync(
      process.execPath,
      [
        '--test',
        '--test-reporter=junit',
        '--test-reporter-destination=node-test.xml',
        'test/math.test.mjs',
      ],
      { cwd: repo },
    );
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('stores node --test absolute files relative to the git root, whatever the working directory', async () => {
    const report = readFileSync(join(repo, 'node-test.xml'), 'utf8');
    expect(report).toContain(`file="${repo}/test/math.test.mjs"`);
    const ingested = await runCliInProcess(['ingest', '../node-test.xml', '--db', '../c.db'], {
      cwd: join(repo, 'test'),
    });
    expect(ingested.code, ingested.stderr).toBe(0);
    expect(await storedTests(repo, 'c.db')).toEqual([
      { key: 'test/math.test.mjs::adds', file: 'test/math.test.mjs', owners: ['@acme/platform'] },
      {
        key: 'test/math.test.mjs::math::subtracts',
        file: 'test/math.test.mjs',
        owners: ['@acme/platform'],
      },
    ]);
  });

  it('strips a CI checkout prefix, or the --path-root, from a report made elsewhere', async () => {
    const made = (root: string) =>
      readFileSync(join(repo, 'node-test.xml'), 'utf8').replaceAll(`${repo}/`, `${root}/`);
    writeFileSync(join(repo, 'gh.xml'), made('/home/runner/work/shop/shop'));
    writeFileSync(join(repo, 'jenkins.xml'), made('/var/lib/jenkins/workspace/shop@2'));
    writeFileSync(join(repo, 'other.xml'), made('/srv/ci/checkout'));
    for (const [file, extra] of [
      ['gh.xml', []],
      ['jenkins.xml', []],
      ['other.xml', ['--path-root', '/srv/ci/checkout']],
    ] as const) {
      const result = await runCliInProcess(['ingest', file, '--db', 'ci.db', ...extra], {
        cwd: repo,
      });
      expect(result.code, result.stderr).toBe(0);
    }
    const tests = await storedTests(repo, 'ci.db');
    expect(tests.map((t) => t.key)).toEqual([
      'test/math.test.mjs::adds',
      'test/math.test.mjs::math::subtracts',
    ]);
  });

  it("maps Playwright's testDir-relative files to the tracked file, for keys, CODEOWNERS and split", async () => {
    writeFileSync(join(repo, 'playwright.xml'), producer('playwright.xml'));
    // The run starts now: the fixture's own timestamp would age out of `flaky`'s window.
    const startedAt = new Date().toISOString();
    const result = await runCliInProcess(
      ['ingest', 'playwright.xml', '--db', 'pw.db', '--started-at', startedAt],
      { cwd: repo },
    );
    expect(result.code, result.stderr).toBe(0);
    const tests = await storedTests(repo, 'pw.db');
    expect(tests.length).toBeGreaterThan(0);
    for (const test of tests) {
      expect(test.key).toMatch(/^e2e\/(flaky|math)\.spec\.js::/);
      expect(test.owners).toEqual(['@acme/web']);
    }
    const split = await runCliInProcess(
      [
        'split',
        '--db',
        'pw.db',
        '--shards',
        '2',
        '--json',
        'e2e/flaky.spec.js',
        'e2e/math.spec.js',
      ],
      { cwd: repo },
    );
    expect(split.code, split.stderr).toBe(0);
    expect(JSON.parse(split.stdout).knownTimingsRatio).toBe(1);
  });
});
