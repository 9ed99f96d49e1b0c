import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeGitRepo, type TestGitRepo } from '../../testing/make-git-repo.ts';
import { runCliBinary } from '../../testing/run-cli-binary.ts';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

const candorYml = [
  'version: 1',
  'services:',
  '  api:',
  '    paths:',
  '      - "services/api/**"',
  '      - { glob: "db/migrations/**", changes: [added] }',
  '  web:',
  '    paths: ["apps/web/**", "!apps/web/**/*.md"]',
  '    nx: web-app',
  '  worker:',
  '    paths: ["services/worker/**"]',
  '    turbo: "@shop/worker"',
  'affected:',
  '  shared: ["package-lock.json", ".github/**"]',
  '',
].join('\n');

/** In process, with no CI variables: exit code and output. */
const cli = (cwd: string, argv: string[], env: Record<string, string> = {}) =>
  runCliInProcess(['affected', ...argv], { cwd, env });

async function json(cwd: string, argv: string[] = [], env: Record<string, string> = {}) {
  const result = await cli(cwd, ['--json', ...argv], env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as {
    base: string | null;
    mergeBase: string | null;
    baseKnown: boolean;
    reason: string | null;
    changedFiles: { path: string; change: string; oldPath?: string }[];
    services: { service: string; reasons: Record<string, unknown>[] }[];
    unaffected: string[];
  };
}

const affectedNames = (report: { services: { service: string }[] }) =>
  report.services.map((s) => s.service);

/** main with three services; a feature branch `feature` from it. */
function makeMonorepo(): TestGitRepo {
  const repo = makeGitRepo();
  repo.commit('base', {
    'candor.yml': candorYml,
    'package-lock.json': '{}\n',
    'services/api/server.ts': 'api\n',
    'services/api/queue.ts': 'a queue that is long enough to be recognised as renamed\n'.repeat(5),
    'apps/web/index.ts': 'web\n',
    'apps/web/old.ts': 'old\n',
    'services/worker/main.ts': 'worker\n',
    'db/migrations/0001-init.sql': 'create table t (id int);\n',
  });
  repo.git('checkout', '--quiet', '-b', 'feature');
  return repo;
}

describe('candor affected', () => {
  it('diffs from the merge-base after a merge from main, not from the old fork point', async () => {
    const repo = makeMonorepo();
    repo.commit('api change', { 'services/api/server.ts': 'api v2\n' });
    repo.git('checkout', '--quiet', 'main');
    repo.commit('web change on main', { 'apps/web/index.ts': 'web v2\n' });
    repo.git('checkout', '--quiet', 'feature');
    repo.git('merge', '--quiet', '--no-edit', 'main');
    repo.git('checkout', '--quiet', 'main');
    repo.commit('worker change on main after the merge', { 'services/worker/main.ts': 'w2\n' });
    repo.git('checkout', '--quiet', 'feature');

    const report = await json(repo.root);
    expect(report.base).toBe('main');
    expect(report.mergeBase).toBe(repo.git('merge-base', 'main', 'feature'));
    expect(report.baseKnown).toBe(true);
    expect(report.changedFiles).toEqual([{ path: 'services/api/server.ts', change: 'modified' }]);
    expect(affectedNames(report)).toEqual(['api']);
    expect(report.unaffected).toEqual(['web', 'worker']);

    const text = await cli(repo.root, []);
    expect(text.stdout).toContain(
      'api\n  "services/api/server.ts" modified, matches services/api/**\nunaffected: web, worker\n',
    );
  });

  it('affects both services of a rename, the service of a deletion, and reads odd paths', async () => {
    const repo = makeMonorepo();
    repo.git('mv', 'services/api/queue.ts', 'services/worker/queue.ts');
    repo.git('rm', '--quiet', 'apps/web/old.ts');
    repo.commit('move the queue, drop old.ts', {
      'services/worker/with space\nand newline.txt': 'odd\n',
    });
    const report = await json(repo.root, ['--base', 'main']);
    expect(report.changedFiles).toEqual(
      expect.arrayContaining([
        { path: 'services/worker/queue.ts', change: 'renamed', oldPath: 'services/api/queue.ts' },
        { path: 'apps/web/old.ts', change: 'deleted' },
        { path: 'services/worker/with space\nand newline.txt', change: 'added' },
      ]),
    );
    expect(report.changedFiles).toHaveLength(3);
    expect(affectedNames(report)).toEqual(['api', 'web', 'worker']);
    expect(report.services[0]?.reasons).toEqual([
      {
        kind: 'file',
        path: 'services/api/queue.ts',
        change: 'renamed',
        glob: 'services/api/**',
        renamedTo: 'services/worker/queue.ts',
      },
    ]);
  });

  it('counts a migration only when added, ignores excluded files, and lets a shared path affect all', async () => {
    const repo = makeMonorepo();
    repo.commit('edit a migration and the web readme', {
      'db/migrations/0001-init.sql': 'create table t (id bigint);\n',
      'apps/web/docs/README.md': 'docs\n',
    });
    expect(await json(repo.root)).toMatchObject({
      services: [],
      unaffected: ['api', 'web', 'worker'],
    });
    expect((await cli(repo.root, [])).stdout).toContain('no service affected\n');
    repo.commit('add a migration', { 'db/migrations/0002-orders.sql': 'create table o ();\n' });
    expect(affectedNames(await json(repo.root))).toEqual(['api']);
    repo.commit('update the lock file', { 'package-lock.json': '{"lockfileVersion":3}\n' });
    const shared = await json(repo.root);
    expect(affectedNames(shared)).toEqual(['api', 'web', 'worker']);
    expect(shared.services[1]?.reasons).toEqual([
      { kind: 'shared', path: 'package-lock.json', change: 'modified', glob: 'package-lock.json' },
    ]);
  });

  it('affects every service in a shallow clone without the base, saying why', async () => {
    const repo = makeMonorepo();
    repo.commit('api change', { 'services/api/server.ts': 'api v2\n' });
    const clones = mkdtempSync(join(tmpdir(), 'candor-shallow-'));
    try {
      const clone = (name: string, ...flags: string[]) => {
        execFileSync(
          'git',
          ['clone', '--quiet', '--depth', '1', ...flags, `file://${repo.root}`, name],
          { cwd: clones },
        );
        return join(clones, name);
      };
      // Only the feature branch was fetched: origin/main is not there.
      const single = clone('single', '--branch', 'feature');
      const report = await json(single);
      expect(report).toMatchObject({ base: null, baseKnown: false, mergeBase: null });
      expect(report.reason).toMatch(
        /neither origin\/main nor main is a commit here .*shallow clone/,
      );
      expect(affectedNames(report)).toEqual(['api', 'web', 'worker']);
      expect(report.services[2]?.reasons).toEqual([
        { kind: 'unknown-base', message: report.reason },
      ]);
      const text = await cli(single, []);
      expect(text.stdout).toMatch(/^base unknown: .*: every service is affected\n/);
      // Both tips fetched, one commit each: there is no merge-base.
      const both = clone('both', '--branch', 'feature', '--no-single-branch');
      const cut = await json(both);
      expect(cut).toMatchObject({ base: 'origin/main', baseKnown: false });
      expect(cut.reason).toMatch(
        /^origin\/main and HEAD have no merge-base here \(this is a shallow clone/,
      );
      expect((await cli(both, ['--github-matrix'])).stdout).toBe(
        '{"include":[{"service":"api"},{"service":"web"},{"service":"worker"}]}\n',
      );
      // The pull request's base from GitHub's variables, once the history is there.
      execFileSync('git', ['fetch', '--quiet', '--unshallow'], { cwd: both });
      const pr = await json(both, [], { GITHUB_BASE_REF: 'main' });
      expect(pr).toMatchObject({ base: 'origin/main', baseKnown: true });
      expect(affectedNames(pr)).toEqual(['api']);
    } finally {
      rmSync(clones, { recursive: true, force: true });
    }
  });

  it('affects every service on a first push (an all-zero previous commit)', async () => {
    const repo = makeMonorepo();
    const report = await json(repo.root, [], { CI_COMMIT_BEFORE_SHA: '0'.repeat(40) });
    expect(report).toMatchObject({
      base: null,
      baseKnown: false,
      reason: 'CI_COMMIT_BEFORE_SHA is all zeros: a first push, no previous commit',
    });
    expect(affectedNames(report)).toEqual(['api', 'web', 'worker']);
  });

  it('merges the affected lists of Nx and Turborepo into the services, warning about unknown names', async () => {
    const repo = makeMonorepo();
    writeFileSync(join(repo.root, 'nx.json'), '["web-app","storybook"]\n');
    writeFileSync(
      join(repo.root, 'turbo.json'),
      JSON.stringify({
        packageManager: 'npm',
        packages: { count: 1, items: [{ name: '@shop/worker', path: 'services/worker' }] },
      }),
    );
    const result = await cli(repo.root, ['--json', '--nx', 'nx.json', '--turbo', 'turbo.json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).services).toEqual([
      { service: 'web', reasons: [{ kind: 'nx', project: 'web-app' }] },
      { service: 'worker', reasons: [{ kind: 'turbo', package: '@shop/worker' }] },
    ]);
    expect(result.stderr).toBe(
      'warning: Nx project storybook names no service (set services.<name>.nx: storybook)\n',
    );
    writeFileSync(join(repo.root, 'bad.json'), '{"projects":[]}');
    const bad = await cli(repo.root, ['--nx', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^candor: bad\.json: .*expected the output of nx show projects/);
  });

  it('prints an empty matrix when nothing is affected, and refuses bad config and heads with exit 2', async () => {
    const repo = makeMonorepo();
    expect((await cli(repo.root, [])).stdout).toContain(
      'the head is already in main: nothing changed since it',
    );
    expect(await cli(repo.root, ['--github-matrix'])).toEqual({
      code: 0,
      stdout: '{"include":[]}\n',
      stderr: '',
    });
    const missingHead = await cli(repo.root, ['--head', 'no-such-branch']);
    expect([missingHead.code, missingHead.stderr]).toEqual([
      2,
      'candor: --head no-such-branch is not a commit in this repository\n',
    ]);
    writeFileSync(
      join(repo.root, 'candor.yml'),
      'services:\n  api:\n    paths:\n      - { glob: "db/**", changes: [renamd] }\n',
    );
    const badConfig = await cli(repo.root, []);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/^candor: candor\.yml:4:\d+: services\.api\.paths\[0\]/);
    writeFileSync(join(repo.root, 'candor.yml'), 'version: 1\n');
    expect((await cli(repo.root, [])).stderr).toContain('candor.yml has no services:');
  });

  it('runs as the real binary', async () => {
    const repo = makeMonorepo();
    repo.commit('worker change', { 'services/worker/main.ts': 'w2\n' });
    const result = await runCliBinary(['affected', '--github-matrix'], { cwd: repo.root });
    expect([result.code, result.stdout]).toEqual([0, '{"include":[{"service":"worker"}]}\n']);
  });
});
