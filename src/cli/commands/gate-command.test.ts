import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateConditionKinds } from '../../gates/gate-conditions.ts';
import { openStore } from '../../store/open-store.ts';
import { findDeliveryEvents } from '../../store/repositories/delivery/delivery-event.repository.ts';
import { makeGitRepo } from '../../testing/make-git-repo.ts';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

const lcov = readFileSync(
  new URL('../../readers/coverage/lcov/__fixtures__/producers/c8-12.lcov.info', import.meta.url),
  'utf8',
);
const secrets = [
  'version: 1',
  'secrets:',
  '  - { name: github-app-token, owner: "@platform", expires: 2027-01-15, rotated: 2026-10-15, usedBy: [deploy] }',
  '',
].join('\n');
const config = `# the gates of this repository
gates:
  change:
    - coverage: { files: coverage/lcov.info, module: "src/util/**", min: 90 }
    - todo: { words: [TODO, FIXME] }
    - secrets: { catalog: .candor/secrets.yml, warnDays: 60, enforce: warn }
  release:
    - secrets: { catalog: .candor/secrets.yml, warnDays: 14 }
    - drill: { maxAgeDays: 30 }
    - canary: {}
`;

/** A repository on a feature branch with candor.yml, a coverage report and a secrets catalog. */
function repository(added: string) {
  const repo = makeGitRepo();
  repo.commit('base', {
    'src/util/format.js': 'a\n',
    'candor.yml': config,
    '.candor/secrets.yml': secrets,
  });
  repo.git('checkout', '--quiet', '-b', 'feature');
  repo.commit('feature', { 'src/util/format.js': `a\n${added}\n` });
  repo.write({ 'coverage/lcov.info': lcov });
  return repo;
}
const gate = (root: string, ...args: string[]) => runCliInProcess(['gate', ...args], { cwd: root });

describe('candor gate', () => {
  it('blocks (exit 1) with one line per condition, and records policy_failed in the ledger', async () => {
    const repo = repository('// TODO(#13) later');
    const result = await gate(repo.root, 'change', '--service', 'shop');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[2]).toMatch(
      /^✓ pass +coverage src\/util\/\*\* +100 +90 +coverage\/lcov\.info +src\/util\/\*\*: 100% of 4 lines/,
    );
    expect(lines[3]).toMatch(
      /^✗ fail +todo TODO\/FIXME +1 +0 +- +1 added line with TODO\/FIXME since main/,
    );
    expect(lines[4]).toMatch(/^! warn +secrets \.candor\/secrets\.yml/);
    expect(lines.at(-1)).toMatch(
      /^gate change: fail — 3 condition\(s\), 1 failed, 1 warned at [0-9a-f]{12}$/,
    );
    const store = await openStore({ kind: 'sqlite', path: join(repo.root, '.candor/candor.db') });
    try {
      const events = await findDeliveryEvents(store.db, {
        from: '2000-01-01T00:00:00Z',
        to: '3000-01-01T00:00:00Z',
      });
      expect(events).toMatchObject([
        {
          type: 'policy_failed',
          service: 'shop',
          commit: repo.git('rev-parse', 'HEAD'),
          attributes: {
            gate: 'candor',
            checklist: 'change',
            failing: ['todo TODO/FIXME'],
            warning: ['secrets .candor/secrets.yml'],
          },
        },
      ]);
    } finally {
      await store.close();
    }
  });

  it('passes (exit 0) with warnings, printing the JSON contract', async () => {
    const repo = repository('const b = 1;');
    const result = await gate(repo.root, 'change', '--json', '--no-record');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      checklist: 'change',
      result: 'warn',
      recorded: null,
      exitCode: 0,
    });
    expect(
      json.conditions.map((c: { kind: string; result: string }) => [c.kind, c.result]),
    ).toEqual([
      ['coverage', 'pass'],
      ['todo', 'pass'],
      ['secrets', 'warn'],
    ]);
    expect(Object.keys(json.conditions[0])).toEqual(
      expect.arrayContaining([
        'name',
        'kind',
        'result',
        'value',
        'threshold',
        'evidence',
        'message',
      ]),
    );
  });

  it('prints --markdown: a heading with the result, a row per condition, the places folded', async () => {
    const repo = repository('// TODO(#13) later');
    const result = await gate(repo.root, 'change', '--markdown', '--no-record');
    expect(result).toMatchObject({ code: 1, stderr: '' });
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('### ❌ candor gate change: fail');
    expect(lines).toContain('3 conditions · 1 failed · 1 warned');
    expect(lines).toContain('| result | condition | value | threshold | evidence | message |');
    const rows = lines.filter((l) => /^\| (?:✅ pass|❌ fail|⚠️ warn)/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /^\| ✅ pass \| coverage src\/util\/\\\*\\\* \| 100 \| 90 \| coverage\/lcov\.info \| /,
    );
    expect(rows[1]).toMatch(
      /^\| ❌ fail \| todo TODO\/FIXME \| 1 \| 0 \| +\| 1 added line with TODO\/FIXME since main/,
    );
    expect(rows[2]).toMatch(/^\| ⚠️ warn \| secrets \.candor\/secrets\.yml \| /);
    expect(result.stdout).toContain('<details><summary>where (2)</summary>');
    expect(result.stdout).toContain(
      '| todo TODO/FIXME | `src/util/format.js:2` | TODO added: // TODO(#13) later |',
    );
  });

  it('measures the diff from --base REF: todo and coverage changedLines see only what came after it', async () => {
    const repo = makeGitRepo();
    repo.commit('base', {
      'src/a.js': 'a\n',
      'candor.yml': [
        'gates:',
        '  change:',
        '    - todo: { words: [TODO] }',
        '    - coverage: { files: coverage/lcov.info, changedLines: true, min: 80 }',
        '',
      ].join('\n'),
    });
    repo.git('checkout', '--quiet', '-b', 'feature');
    const first = repo.commit('first', { 'src/a.js': 'a\n// TODO(#1) before the base\n' });
    repo.commit('second', {
      'src/a.js': 'a\n// TODO(#1) before the base\n// TODO(#2) after the base\n',
    });
    // Hand-written: line 2 (added before the base) not covered, line 3 (after it) covered.
    repo.write({ 'coverage/lcov.info': 'SF:src/a.js\nDA:1,1\nDA:2,0\nDA:3,1\nend_of_record\n' });
    const run = async (...args: string[]) => {
      const result = await gate(repo.root, 'change', '--json', '--no-record', ...args);
      const json = JSON.parse(result.stdout) as {
        conditions: {
          kind: string;
          value: unknown;
          locations?: { file: string; line?: number; message: string }[];
        }[];
      };
      const of = (kind: string) => json.conditions.find((c) => c.kind === kind);
      return {
        code: result.code,
        todo: of('todo')?.value,
        todoAt: of('todo')?.locations,
        coverage: of('coverage')?.value,
      };
    };
    // From the merge-base with main: both TODOs, and 1 of the 2 added lines covered.
    expect(await run()).toMatchObject({ code: 1, todo: 2, coverage: 50 });
    expect(await run('--base', first)).toEqual({
      code: 1,
      todo: 1,
      todoAt: [{ file: 'src/a.js', line: 3, message: 'TODO added: // TODO(#2) after the base' }],
      coverage: 100,
    });
  });

  it('writes GitHub annotations, GitLab code quality and JUnit XML', async () => {
    const repo = repository('// FIXME now');
    const result = await gate(
      repo.root,
      'change',
      '--annotations',
      '--junit',
      'gate.xml',
      '--gitlab-codequality',
      'cq.json',
      '--no-record',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error file=src/util/format.js,line=2,title=candor gate change%3A todo TODO/FIXME::FIXME added: // FIXME now\n',
    );
    expect(result.stdout).toContain('::warning file=.candor/secrets.yml,line=3,');
    const junit = readFileSync(join(repo.root, 'gate.xml'), 'utf8');
    expect(junit).toContain('<testsuite name="gate change" tests="3" failures="1"');
    expect(junit).toContain(
      '<failure message="1 added line with TODO/FIXME since main (at most 0)" type="todo">',
    );
    expect(JSON.parse(readFileSync(join(repo.root, 'cq.json'), 'utf8'))).toMatchObject([
      {
        check_name: 'candor-gate-change-todo',
        severity: 'major',
        location: { path: 'src/util/format.js', lines: { begin: 2 } },
      },
      {
        check_name: 'candor-gate-change-secrets',
        severity: 'minor',
        location: { path: '.candor/secrets.yml', lines: { begin: 3 } },
      },
    ]);
  });

  it('reads the ledger for the release checklist: no evidence until a drill and a canary verdict exist', async () => {
    const repo = repository('x');
    const before = JSON.parse(
      (await gate(repo.root, 'release', '--json', '--service', 'shop', '--deployment', 'd-1'))
        .stdout,
    );
    expect(before.result).toBe('fail');
    expect(before.conditions[2]).toMatchObject({
      kind: 'canary',
      result: 'fail',
      message:
        'no evidence: a canary verdict (canary_promoted or canary_failed) for deployment d-1 of shop in the ledger',
    });
    const event = await runCliInProcess(
      ['event', 'canary_promoted', '--service', 'shop', '--deployment', 'd-1'],
      { cwd: repo.root },
    );
    expect(event.code).toBe(0);
    const after = JSON.parse(
      (await gate(repo.root, 'release', '--json', '--service', 'shop', '--deployment', 'd-1'))
        .stdout,
    );
    expect(after.conditions[2]).toMatchObject({ kind: 'canary', result: 'pass', value: 'promote' });
    expect(after.conditions[1]).toMatchObject({
      kind: 'drill',
      result: 'fail',
      message: expect.stringContaining('no evidence: a rollback_drill event for service shop'),
    });
    const drill = await runCliInProcess(
      [
        'event',
        'rollback_drill',
        '--service',
        'shop',
        '--environment',
        'staging',
        '--result',
        'success',
      ],
      { cwd: repo.root },
    );
    expect(drill.code).toBe(0);
    const drilled = await gate(
      repo.root,
      'release',
      '--json',
      '--service',
      'shop',
      '--deployment',
      'd-1',
    );
    expect(drilled.code).toBe(0);
    expect(JSON.parse(drilled.stdout)).toMatchObject({
      result: 'pass',
      conditions: [
        { kind: 'secrets', result: 'pass' },
        { kind: 'drill', result: 'pass', value: 0 },
        { kind: 'canary', result: 'pass' },
      ],
    });
  });

  it('refuses a bad candor.yml with file:line:column and did-you-mean (exit 2)', async () => {
    const repo = repository('x');
    repo.write({
      'bad.yml': 'gates:\n  change:\n    - coverge: { files: a }\n    - todo: { wrds: [TODO] }\n',
    });
    const result = await gate(repo.root, 'change', '--config', 'bad.yml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '✗ bad.yml:3:16: gates.change[0].coverge: unknown condition "coverge" (did you mean "coverage"?)',
    );
    expect(result.stderr).toContain(
      '✗ bad.yml:4:21: gates.change[1].todo.wrds: unknown option "wrds" of todo (did you mean "words"?)',
    );
    const check = await runCliInProcess(['config', 'check', '--config', 'bad.yml'], {
      cwd: repo.root,
    });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('did you mean "coverage"?');
  });

  it('refuses an unknown checklist with did-you-mean, and a missing candor.yml (exit 2)', async () => {
    const repo = repository('x');
    const result = await gate(repo.root, 'relase');
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toContain(
      'candor.yml: no checklist "relase" under gates: (did you mean "release"?); it has change, release',
    );
    const none = makeGitRepo();
    expect((await gate(none.root, 'change')).code).toBe(2);
  });

  it("checks the issue's example: every line valid, or refused as a condition kind not built yet", async () => {
    const repo = repository('x');
    repo.write({
      'example.yml': `gates:
  change:
    - coverage: { files: coverage/lcov.info, module: "src/payments/**", min: 90 }
    - coverage: { files: coverage/lcov.info, changedLines: true, min: 80 }
    - findings: { files: "reports/*.sarif", baseline: reports/baseline.sarif, maxNew: 0, level: error }
    - vulnerabilities: { files: trivy.json, failOn: [critical, high], kev: true }
    - todo: { words: [TODO, FIXME] }
  release:
    - sbom: { files: sbom.cdx.json, deny: [GPL-3.0-only, AGPL-3.0-only] }
    - secrets: { catalog: .candor/secrets.yml, warnDays: 14 }
    - drill: { maxAgeDays: 30 }
`,
    });
    const check = await runCliInProcess(['config', 'check', '--config', 'example.yml', '--json'], {
      cwd: repo.root,
    });
    const { problems } = JSON.parse(check.stdout) as { problems: { message: string }[] };
    const missing = ['findings', 'vulnerabilities', 'sbom'].filter(
      (k) => !(gateConditionKinds as string[]).includes(k),
    );
    const expected = missing.map(
      (kind): unknown => expect.stringContaining(`unknown condition "${kind}"`) as unknown,
    );
    expect(problems.map((p) => p.message)).toEqual(expected);
    expect(check.code).toBe(missing.length === 0 ? 0 : 2);
  });
});

describe('the README section of candor gate', () => {
  it('holds a gates: example that candor config check accepts', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### `candor gate <checklist>`'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(yaml).toContain('gates:');
    const repo = makeGitRepo();
    repo.write({ 'candor.yml': yaml });
    const check = await runCliInProcess(['config', 'check'], { cwd: repo.root });
    expect(check).toMatchObject({ code: 0, stdout: 'candor.yml: valid\n' });
  });
});
