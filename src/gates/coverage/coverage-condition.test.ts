import { cpSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateContext } from '../../app/gates/create-gate-context.ts';
import { evaluateChecklist } from '../../app/gates/evaluate-checklist.ts';
import { scratchRepository } from '../../testing/evidence-gate.ts';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { makeGitRepo } from '../../testing/make-git-repo.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import type { GateContext } from '../gate-condition.ts';
import { CoverageOptions, coverageCondition } from './coverage-condition.ts';

const producers = (format: string, name: string) =>
  readFileSync(new URL(`../../readers/coverage/${format}/__fixtures__/producers/${name}`, import.meta.url), 'utf8');
const project = new URL('__fixtures__/project/', import.meta.url);
const c8Lcov = producers('lcov', 'c8-12.lcov.info');
const nycLcov = producers('lcov', 'nyc-18.lcov.info');

const decide = async (options: Record<string, unknown>, context: GateContext) => {
  const parsed = CoverageOptions.parse(options);
  const evidence = await coverageCondition.gather(parsed, context);
  return evidence.kind === 'found' ? coverageCondition.evaluate(evidence.value, parsed, context.now) : evidence;
};

/** The fixture project in a real repository: main without refund(), the branch adding it. */
function projectRepo(reports: Record<string, string>) {
  const repo = makeGitRepo();
  cpSync(project.pathname, repo.root, { recursive: true });
  const final = readFileSync(new URL('src/payments/charge.js', project), 'utf8');
  const lines = final.split('\n');
  repo.write({ 'src/payments/charge.js': [...lines.slice(0, 8), ...lines.slice(12)].join('\n') });
  repo.commit('charge');
  repo.git('checkout', '--quiet', '-b', 'refund');
  repo.commit('refund', { 'src/payments/charge.js': final });
  repo.write(reports);
  return repo;
}
const contextOf = (root: string) =>
  createGateContext({ root, now: new Date('2026-12-02T00:00:00Z'), base: 'main', store: () => Promise.reject(new Error('no store')) });

describe('coverageCondition', () => {
  it('measures a module glob on the lcov c8 wrote: 8 of 13 lines of src/payments', async () => {
    const context = fakeGateContext({ files: { 'coverage/lcov.info': c8Lcov } });
    expect(await decide({ files: 'coverage/lcov.info', module: 'src/payments/**', min: 90 }, context)).toMatchObject({
      result: 'fail',
      value: 61.53,
      threshold: 90,
      message: 'src/payments/**: 61.53% of 13 lines covered (8) in 1 file(s), below 90%',
    });
    expect(await decide({ files: 'coverage/lcov.info', module: 'src/util/**', min: 100 }, context)).toMatchObject({ result: 'pass', value: 100 });
  });

  it('fails a module glob that matches no covered file as no evidence, never a pass', async () => {
    const context = fakeGateContext({ files: { 'coverage/lcov.info': c8Lcov } });
    expect(await decide({ files: 'coverage/lcov.info', module: 'src/billing/**', min: 0 }, context)).toMatchObject({
      kind: 'missing',
      expected: 'coverage records for files matching src/billing/** in coverage/lcov.info (the report covers 2 other file(s))',
    });
  });

  it('measures the lines added since the merge-base of a real repository', async () => {
    const repo = projectRepo({ 'coverage/lcov.info': c8Lcov, 'nyc/lcov.info': nycLcov });
    const context = contextOf(repo.root);
    // c8 counts lines 9-12 of the added refund(): 9, 10, 11 not run, 12 (blank) "run".
    expect(await decide({ files: 'coverage/lcov.info', changedLines: true, min: 80 }, context)).toMatchObject({
      result: 'fail',
      value: 25,
      locations: [
        { file: 'src/payments/charge.js', line: 9 },
        { file: 'src/payments/charge.js', line: 10 },
        { file: 'src/payments/charge.js', line: 11 },
      ],
    });
    // nyc instruments only the statement on line 10.
    expect(await decide({ files: 'nyc/lcov.info', changedLines: true, min: 80 }, context)).toMatchObject({ result: 'fail', value: 0 });
  });

  it('passes changed lines that tests run, and says when nothing added is instrumented', async () => {
    const repo = projectRepo({ 'coverage/lcov.info': c8Lcov });
    repo.commit('tests', {});
    const context = contextOf(repo.root);
    expect(await decide({ files: 'coverage/lcov.info', changedLines: true, module: 'src/util/**', min: 80 }, context)).toMatchObject({
      result: 'pass',
      value: null,
      message: 'no added line is instrumented',
    });
  });

  it.each([
    ['istanbul', 'nyc-18.coverage-final.json', 75],
    ['istanbul', 'c8-12.coverage-final.json', 70.58],
    ['cobertura', 'nyc-18.cobertura-coverage.xml', 75],
    ['cobertura', 'c8-12.cobertura-coverage.xml', 70.58],
  ])('makes the paths of %s %s repository-relative', async (format, name, value) => {
    // The fixtures were written in /tmp/i13a-fx/proj: absolute paths and source roots there.
    const context = { ...fakeGateContext({ files: { [`r/${name}`]: producers(format, name), 'src/payments/charge.js': '', 'src/util/format.js': '' } }), root: '/tmp/i13a-fx/proj' };
    const verdict = await decide({ files: 'r/*', min: 70 }, context);
    expect(verdict).toMatchObject({ result: 'pass', value });
    expect(await decide({ files: 'r/*', module: 'src/util/*.js', min: 100 }, context)).toMatchObject({ result: 'pass' });
  });

  it.each(['coverage.py-6.5.coverage.xml', 'pytest-cov-4.0.coverage.xml'])(
    'makes the paths of coverage.py output %s repository-relative (<source> the root or a folder under it)',
    async (name) => {
      // Written in a scratch project, its path replaced by /repo (see the fixtures' README).
      const context = { ...fakeGateContext({ files: { 'coverage.xml': producers('cobertura', name), 'shop/__init__.py': '', 'shop/pricing.py': '' } }), root: '/repo' };
      expect(await decide({ files: 'coverage.xml', min: 50 }, context)).toMatchObject({ result: 'pass', value: 55.55 });
      expect(await decide({ files: 'coverage.xml', module: 'shop/pricing.py', min: 56 }, context)).toMatchObject({ result: 'fail', value: 55.55 });
    },
  );

  describe('with a module glob, over the bytes of an LCOV file (records outside the module not kept)', () => {
    const lcov = (sections: Record<string, string[]>) =>
      Object.entries(sections)
        .map(([file, records]) => ['TN:', `SF:${file}`, ...records, 'end_of_record'].join('\n'))
        .join('\n');
    const gatherIn = async (files: Record<string, string>, options: Record<string, unknown>) => {
      const root = await scratchRepository(files);
      const context = contextOf(root);
      expect(typeof context.readBytes).toBe('function');
      const parsed = CoverageOptions.parse(options);
      return { evidence: await coverageCondition.gather(parsed, context), parsed, context };
    };

    it('measures the module as when every file is kept, and counts the other files', async () => {
      const report = lcov({
        'src/payments/a.ts': ['DA:1,1', 'DA:2,0', 'DA:3,4'],
        'src/util/b.ts': ['DA:1,0', 'DA:2,0'],
        'lib/payments/c.ts': ['DA:7,1'],
        'src/payments/a.ts#2': [],
      }).replace('SF:src/payments/a.ts#2', 'SF:./src/payments/a.ts\nDA:2,5');
      const { evidence, parsed, context } = await gatherIn(
        { 'coverage/lcov.info': report },
        { files: 'coverage/lcov.info', module: 'src/payments/**', min: 60 },
      );
      expect(evidence).toMatchObject({ kind: 'found' });
      if (evidence.kind !== 'found') return;
      expect([...evidence.value.lines.keys()]).toEqual(['src/payments/a.ts']);
      expect(coverageCondition.evaluate(evidence.value, parsed, context.now)).toMatchObject({
        result: 'pass',
        message: 'src/payments/**: 100% of 3 lines covered (3) in 1 file(s), at least 60%',
      });
      const none = await gatherIn(
        { 'coverage/lcov.info': report },
        { files: 'coverage/lcov.info', module: 'src/billing/**', min: 0 },
      );
      expect(none.evidence).toMatchObject({
        kind: 'missing',
        expected:
          'coverage records for files matching src/billing/** in coverage/lcov.info (the report covers 3 other file(s))',
      });
    });

    it('still refuses a bad record in a file outside the module', async () => {
      const report = lcov({ 'src/payments/a.ts': ['DA:1,1'], 'src/util/b.ts': ['DA:1,-1'] });
      const { evidence } = await gatherIn(
        { 'coverage/lcov.info': report },
        { files: 'coverage/lcov.info', module: 'src/payments/**', min: 60 },
      );
      expect(evidence).toMatchObject({
        kind: 'invalid',
        problems: [{ file: 'coverage/lcov.info', line: 7, message: expect.stringContaining('a count ≥ 0') as string }],
      });
    });

    it('keeps a file the module names under a configured root, and an absolute path inside the root', async () => {
      const { evidence: underRoot } = await gatherIn(
        { 'coverage/lcov.info': lcov({ 'pay/a.ts': ['DA:1,1', 'DA:2,0'] }), 'app/pay/a.ts': '' },
        { files: 'coverage/lcov.info', module: 'app/pay/**', roots: ['app'], min: 0 },
      );
      expect(underRoot).toMatchObject({ kind: 'found' });
      if (underRoot.kind === 'found') expect([...underRoot.value.lines.keys()]).toEqual(['app/pay/a.ts']);
      const root = await scratchRepository({});
      const context = contextOf(root);
      const absolute = lcov({ [`${root}/src/payments/a.ts`]: ['DA:1,1'] });
      await writeFile(join(root, 'lcov.info'), absolute);
      const parsed = CoverageOptions.parse({ files: 'lcov.info', module: 'src/payments/**', min: 100 });
      const evidence = await coverageCondition.gather(parsed, context);
      expect(evidence.kind === 'found' && evidence.value.lines.get('src/payments/a.ts')?.hits[1]).toBe(1);
    });
  });

  it('strips the Go module path and prefixes JaCoCo paths with a source root', async () => {
    const go = fakeGateContext({
      files: { 'cover.out': producers('go', 'go-1.19.coverprofile'), 'go.mod': 'module example.com/shop\n\ngo 1.19\n' },
    });
    expect(await decide({ files: 'cover.out', module: 'pay/**', min: 40 }, go)).toMatchObject({ result: 'pass', value: 44.44 });
    const jacoco = fakeGateContext({
      files: { 'build/jacoco.xml': producers('jacoco', 'hand-written.jacoco.xml'), 'src/main/java/com/acme/pay/Charge.java': '' },
    });
    expect(
      await decide({ files: 'build/jacoco.xml', module: 'src/main/java/**', roots: ['src/main/java'], min: 75 }, jacoco),
    ).toMatchObject({ result: 'pass', value: 75 });
    const real = fakeGateContext({
      files: {
        'target/site/jacoco/jacoco.xml': producers('jacoco', 'jacoco-0.8.6.jacoco.xml'),
        'src/main/java/com/acme/pay/Charge.java': '',
        'src/main/java/com/acme/pay/Main.java': '',
      },
    });
    const options = { files: 'target/site/jacoco/jacoco.xml', roots: ['src/main/java'], min: 58 };
    expect(await decide(options, real)).toMatchObject({ result: 'pass', value: 58.33 });
    expect(await decide({ ...options, module: 'src/main/java/com/acme/pay/Charge.java', min: 56 }, real)).toMatchObject({
      result: 'fail',
      value: 55.55,
    });
  });

  it('reports no evidence without the report, and invalid evidence for a truncated or foreign one', async () => {
    expect(await decide({ files: 'coverage/lcov.info', min: 1 }, fakeGateContext())).toEqual({
      kind: 'missing',
      expected: 'a coverage report at coverage/lcov.info (no such file)',
      files: [],
    });
    const cut = fakeGateContext({ files: { 'lcov.info': c8Lcov.slice(0, 200), 'x.json': '{"a": 1}' } });
    expect(await decide({ files: 'lcov.info', min: 1 }, cut)).toMatchObject({
      kind: 'invalid',
      problems: [{ file: 'lcov.info', message: expect.stringContaining('truncated') as string }],
    });
    expect(await decide({ files: 'x.json', min: 1 }, cut)).toMatchObject({
      kind: 'invalid',
      problems: [{ file: 'x.json', message: expect.stringContaining('not a coverage report') as string }],
    });
  });

  it('reads a report with a BOM and CRLF', async () => {
    const context = fakeGateContext({ files: { 'lcov.info': `\uFEFF${c8Lcov.replace(/\n/g, '\r\n')}` } });
    expect(await decide({ files: 'lcov.info', min: 70 }, context)).toMatchObject({ result: 'pass', value: 70.58 });
  });

  it('warns instead of blocking with enforce: warn', async () => {
    const context = fakeGateContext({ files: { 'lcov.info': c8Lcov } });
    const result = await evaluateChecklist(
      'change',
      [{ kind: 'coverage', name: undefined, enforce: 'warn', options: CoverageOptions.parse({ files: 'lcov.info', min: 99 }) }],
      context,
    );
    expect(result).toMatchObject({ result: 'warn', conditions: [{ name: 'coverage all files', result: 'warn', value: 70.58 }] });
  });
});

runGateConditionConformance({
  condition: coverageCondition,
  samples: {
    pass: {
      options: { files: 'coverage/lcov.info', module: 'src/util/**', min: 90 },
      context: fakeGateContext({ files: { 'coverage/lcov.info': c8Lcov } }),
      result: 'pass',
    },
    fail: {
      options: { files: 'coverage/lcov.info', changedLines: true, min: 80 },
      context: fakeGateContext({
        files: { 'coverage/lcov.info': c8Lcov },
        added: { 'src/payments/charge.js': [{ line: 9, text: 'function refund(amount) {' }] },
      }),
      result: 'fail',
    },
  },
});
