import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateContext } from '../../app/gates/create-gate-context.ts';
import { evaluateChecklist } from '../../app/gates/evaluate-checklist.ts';
import { addToQuarantine } from '../../app/quarantine/add-to-quarantine.ts';
import { openQuarantine } from '../../app/quarantine/open-quarantine.ts';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import type { TestVerdictEvidence } from '../gate-condition.ts';
import { TestsOptions, testsCondition } from './tests-condition.ts';

const now = new Date('2026-12-02T12:00:00Z');
const report = (...cases: string[]) => `<testsuite name="s">${cases.join('')}</testsuite>`;
const passing = '<testcase classname="s" name="ok"/>';
const failing = '<testcase classname="s" name="flaky one"><failure message="boom"/></testcase>';

/** A directory holding these files, seen through the real gate context (real `candor verdict`). */
function realContext(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'candor-gate-tests-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return {
    root,
    context: createGateContext({ root, now, store: () => Promise.reject(new Error('no store')) }),
  };
}

const decide = async (
  options: Record<string, unknown>,
  context: ReturnType<typeof fakeGateContext>,
) => {
  const parsed = TestsOptions.parse(options);
  const evidence = await testsCondition.gather(parsed, context);
  return evidence.kind === 'found'
    ? testsCondition.evaluate(evidence.value, parsed, now)
    : evidence;
};

describe('testsCondition', () => {
  it('passes reports whose tests pass', async () => {
    const { context } = realContext({ 'a.xml': report(passing) });
    expect(await decide({ files: '*.xml' }, context)).toMatchObject({
      result: 'pass',
      message: '1 tests, 0 blocking failure(s), 0 forgiven by the quarantine, 0 flaky',
    });
  });

  it('fails on a failure the quarantine does not forgive, naming it', async () => {
    const { context } = realContext({ 'a.xml': report(passing, failing) });
    expect(await decide({ files: 'a.xml' }, context)).toMatchObject({
      result: 'fail',
      value: 1,
      message: expect.stringContaining('s::flaky one') as string,
    });
  });

  it('passes when the quarantine forgives the failure, as candor verdict does', async () => {
    const { root, context } = realContext({ 'a.xml': report(passing, failing) });
    addToQuarantine(
      openQuarantine(root, 'q.yml'),
      { key: 's::flaky one', owner: '@o', reason: 'r', mode: 'run' },
      '2026-12-01',
    );
    expect(await decide({ files: 'a.xml', quarantine: 'q.yml' }, context)).toMatchObject({
      result: 'pass',
      message: expect.stringContaining('1 forgiven') as string,
    });
  });

  it('fails over the flake limit', async () => {
    const tests: TestVerdictEvidence = {
      verdict: 'pass',
      tests: 10,
      blocking: [],
      forgiven: 0,
      flaky: 3,
      reports: ['a.xml'],
      problems: [],
    };
    expect(await decide({ files: 'a.xml', maxFlaky: 2 }, fakeGateContext({ tests }))).toMatchObject(
      { result: 'fail', value: 3, threshold: 2 },
    );
    expect(await decide({ files: 'a.xml', maxFlaky: 3 }, fakeGateContext({ tests }))).toMatchObject(
      { result: 'pass' },
    );
  });

  it('reports no evidence without reports, or with reports holding no test', async () => {
    expect(await decide({ files: 'reports/*.xml' }, realContext({}).context)).toEqual({
      kind: 'missing',
      expected: 'test reports at reports/*.xml (no file matched)',
      files: [],
    });
    expect(
      await decide({ files: 'a.xml' }, realContext({ 'a.xml': '<testsuite name="s"/>' }).context),
    ).toMatchObject({ kind: 'missing' });
  });

  it('refuses a truncated report as invalid evidence with its place, and reads one with a BOM', async () => {
    const { context } = realContext({
      'a.xml': report(passing),
      'b.xml': '<testsuite><testcase name="x">',
    });
    expect(await decide({ files: '*.xml' }, context)).toMatchObject({
      kind: 'invalid',
      problems: [{ file: 'b.xml' }],
    });
    expect(
      await decide(
        { files: 'a.xml' },
        realContext({ 'a.xml': `\uFEFF${report(passing)}` }).context,
      ),
    ).toMatchObject({ result: 'pass' });
  });

  it('warns instead of failing with enforce: warn', async () => {
    const { context } = realContext({ 'a.xml': report(failing) });
    const result = await evaluateChecklist(
      'change',
      [
        {
          kind: 'tests',
          name: 'unit',
          enforce: 'warn',
          options: TestsOptions.parse({ files: 'a.xml' }),
        },
      ],
      context,
    );
    expect(result).toMatchObject({
      result: 'warn',
      conditions: [{ name: 'unit', result: 'warn', evidence: ['a.xml'] }],
    });
  });
});

const verdict = (blocking: string[]): TestVerdictEvidence => ({
  verdict: blocking.length > 0 ? 'fail' : 'pass',
  tests: 3,
  blocking,
  forgiven: 0,
  flaky: 0,
  reports: ['r.xml'],
  problems: [],
});
runGateConditionConformance({
  condition: testsCondition,
  samples: {
    pass: {
      options: { files: 'r.xml' },
      context: fakeGateContext({ tests: verdict([]) }),
      result: 'pass',
    },
    fail: {
      options: { files: 'r.xml' },
      context: fakeGateContext({ tests: verdict(['s::x']) }),
      result: 'fail',
    },
  },
});
