import { describe, expect, it } from 'vitest';
import { readChanges } from '../../app/gates/read-changes.ts';
import { TodoOptions } from './todo-condition.ts';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { makeGitRepo } from '../../testing/make-git-repo.ts';
import {
  runGateConditionConformance,
  type GateConditionSample,
} from '../gate-condition-conformance.ts';
import type { ChangeSet } from '../gate-condition.ts';
import { todoCondition } from './todo-condition.ts';
import { describeEnforceWarn } from '../../testing/run-enforced-entry.ts';

const decide = async (options: Record<string, unknown>, changes: ChangeSet) => {
  const parsed = TodoOptions.parse(options);
  const context = { ...fakeGateContext(), changes: async () => changes };
  const evidence = await todoCondition.gather(parsed, context);
  if (evidence.kind !== 'found') return evidence;
  return todoCondition.evaluate(evidence.value, parsed, context.now);
};

describe('todoCondition', () => {
  it('fails on a TODO added on a branch since the merge-base of a real repository, with its line', async () => {
    const repo = makeGitRepo();
    repo.commit('base', { 'src/a.ts': 'const a = 1; // TODO(#1): old\n' });
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.commit('feature', {
      'src/a.ts': 'const a = 1; // TODO(#1): old\nconst b = 2;\n// FIXME later\n',
      'src/b.ts': 'export const TODOS = [];\n',
    });
    // main moves on after the branch: its changes are not the branch's.
    repo.git('checkout', '--quiet', 'main');
    repo.commit('main moves', { 'src/c.ts': '// TODO on main\n' });
    repo.git('checkout', '--quiet', 'feature');
    const verdict = await decide({}, await readChanges(repo.root, 'main'));
    expect(verdict).toMatchObject({
      result: 'fail',
      value: 1,
      threshold: 0,
      locations: [{ file: 'src/a.ts', line: 3, message: 'FIXME added: // FIXME later' }],
    });
  });

  it('passes when the added lines hold no word (an old TODO and TODOS do not count)', async () => {
    const repo = makeGitRepo();
    repo.commit('base', { 'a.py': '# TODO old\n' });
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.commit('feature', { 'a.py': '# TODO old\nTODOS = 1\nMY_TODO = 2\n' });
    expect(await decide({}, await readChanges(repo.root, 'main'))).toMatchObject({
      result: 'pass',
      value: 0,
    });
  });

  it('reads added lines whose path needs quoting and that start with "++"', async () => {
    const repo = makeGitRepo();
    repo.commit('base', { 'x.txt': 'x\n' });
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.commit('feature', { 'dir/ünï code.c': 'int a;\n++ b; // XXX\n' });
    expect(await decide({ words: ['XXX'] }, await readChanges(repo.root, 'main'))).toMatchObject({
      result: 'fail',
      locations: [{ file: 'dir/ünï code.c', line: 2 }],
    });
  });

  it('counts uncommitted changes of the working tree too', async () => {
    const repo = makeGitRepo();
    repo.commit('base', { 'a.ts': 'a\n' });
    repo.write({ 'a.ts': 'a\n// TODO now\n' });
    expect(await decide({}, await readChanges(repo.root, 'main'))).toMatchObject({
      result: 'fail',
    });
  });

  it('looks only at the paths given, with a maximum', async () => {
    const changes: ChangeSet = {
      kind: 'diff',
      base: 'main',
      mergeBase: 'x',
      files: new Map([
        ['docs/a.md', [{ line: 1, text: 'TODO' }]],
        [
          'src/a.ts',
          [
            { line: 4, text: '// TODO one' },
            { line: 9, text: '// TODO two' },
          ],
        ],
      ]),
    };
    expect(await decide({ paths: 'docs/**' }, changes)).toMatchObject({ result: 'fail', value: 1 });
    expect(await decide({ paths: ['src/**'], max: 2 }, changes)).toMatchObject({
      result: 'pass',
      value: 2,
    });
  });

  it('reports no evidence without a base to diff against, naming why', async () => {
    const repo = makeGitRepo();
    repo.commit('base', { 'a.ts': 'a\n' });
    expect(await decide({}, await readChanges(repo.root, 'nope'))).toMatchObject({
      kind: 'missing',
      expected: expect.stringContaining('the base nope is not a commit here') as string,
    });
    expect(await decide({}, await readChanges(repo.root + '/..', undefined))).toMatchObject({
      kind: 'missing',
    });
  });

  it('survives a huge added line and binary-looking text', async () => {
    const changes: ChangeSet = {
      kind: 'diff',
      base: 'main',
      mergeBase: 'x',
      files: new Map([
        [
          'big.txt',
          [
            { line: 1, text: `${'x'.repeat(5_000_000)} TODO` },
            { line: 2, text: '\u0000\uFFFD' },
          ],
        ],
      ]),
    };
    const verdict = await decide({}, changes);
    expect(verdict).toMatchObject({ result: 'fail', value: 1 });
    expect(JSON.stringify(verdict).length).toBeLessThan(2_000);
  });
});

const failing = {
  options: { words: ['TODO', 'FIXME'] },
  context: fakeGateContext({ added: { 'a.ts': [{ line: 1, text: '// FIXME' }] } }),
  result: 'fail',
} satisfies GateConditionSample;

runGateConditionConformance({
  condition: todoCondition,
  samples: {
    pass: {
      options: { words: ['TODO'] },
      context: fakeGateContext({ added: { 'a.ts': [{ line: 1, text: 'ok' }] } }),
      result: 'pass',
    },
    fail: failing,
  },
});

describeEnforceWarn(todoCondition, failing);
