import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeGitRepo } from '../../testing/make-git-repo.ts';
import { runCliBinary } from '../../testing/run-cli-binary.ts';
import { runCli } from '../main.ts';

/** In process: the binary is run once, by the first test. */
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

describe('candor init', () => {
  it('writes a starter candor.yml from what the repository holds, valid for config check', async () => {
    const repo = makeGitRepo();
    repo.commit('base', {
      'package.json': '{"name":"shop"}\n',
      'pnpm-lock.yaml': 'lockfileVersion: 9\n',
      '.github/workflows/ci.yml': 'on: push\n',
      '.github/CODEOWNERS': '* @platform\n',
      'reports/junit.xml':
        '<testsuites><testsuite name="s" tests="1"><testcase name="t"/></testsuite></testsuites>\n',
      'coverage/lcov.info': 'SF:src/a.ts\nDA:1,1\nend_of_record\n',
      'node_modules/x/coverage/lcov.info': 'ignored\n',
      'sbom.cdx.json': '{}\n',
      '.candor/secrets.yml': 'version: 1\nsecrets: []\n',
    });
    const result = await runCliBinary(['init', '--json'], { cwd: repo.root });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      kind: 'written',
      written: ['candor.yml'],
      detection: {
        packageManager: 'pnpm',
        ciProviders: ['github'],
        codeowners: '.github/CODEOWNERS',
        testReports: ['reports/junit.xml'],
        coverage: ['coverage/lcov.info'],
        sboms: ['sbom.cdx.json'],
        secretsCatalog: true,
      },
    });
    const text = readFileSync(join(repo.root, 'candor.yml'), 'utf8');
    expect(text).toContain('- tests: { files: "reports/junit.xml" }');
    expect(text).toContain(
      '- coverage: { files: "coverage/lcov.info", changedLines: true, min: 80 }',
    );
    expect(text).toContain('- secrets: { catalog: .candor/secrets.yml, warnDays: 14 }');
    const check = await cli(['config', 'check'], repo.root);
    expect([check.code, check.stdout]).toEqual([0, 'candor.yml: valid\n']);
  });

  it('never overwrites without --force (exit 1, file untouched), and replaces it with --force', async () => {
    const repo = makeGitRepo();
    repo.commit('base', { 'candor.yml': 'version: 1\n', 'go.mod': 'module x\n' });
    const refused = await cli(['init'], repo.root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('candor.yml exists: nothing written (--force replaces it)');
    expect(readFileSync(join(repo.root, 'candor.yml'), 'utf8')).toBe('version: 1\n');
    const forced = await cli(['init', '--force'], repo.root);
    expect(forced.code).toBe(0);
    const text = readFileSync(join(repo.root, 'candor.yml'), 'utf8');
    // Nothing present: the stack's conventional paths, warning only until the CI writes them.
    expect(text).toContain('- tests: { files: "reports/junit.xml", enforce: warn }');
    expect(text).toContain('"coverage.out"');
    expect(forced.stdout).toContain('candor.yml: valid');
  });

  it('writes the CI job of the detected provider with --ci, and refuses when none is detected', async () => {
    const repo = makeGitRepo();
    repo.commit('base', { '.gitlab-ci.yml': 'stages: [test]\n', 'pom.xml': '<project/>\n' });
    const result = await cli(['init', '--ci'], repo.root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote .gitlab/candor-gate.gitlab-ci.yml');
    const job = readFileSync(join(repo.root, '.gitlab/candor-gate.gitlab-ci.yml'), 'utf8');
    expect(job).toContain('mvn -B verify');
    expect(job).toContain('--gitlab-codequality gl-code-quality.json');

    const bare = makeGitRepo();
    bare.commit('base', { 'README.md': '# x\n' });
    const none = await cli(['init', '--ci'], bare.root);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no GitHub or GitLab CI detected');
    expect(existsSync(join(bare.root, 'candor.yml'))).toBe(false);
    const github = await cli(['init', '--ci', 'github', '--config', 'ci/candor.yml'], bare.root);
    expect(github.code).toBe(0);
    expect(readFileSync(join(bare.root, '.github/workflows/candor-gate.yml'), 'utf8')).toContain(
      'npx candor gate change --base origin/${{ github.base_ref }} --annotations',
    );
    expect(existsSync(join(bare.root, 'ci/candor.yml'))).toBe(true);
  });
});
