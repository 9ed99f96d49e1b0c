import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateContext } from '../../app/gates/create-gate-context.ts';
import { evaluateChecklist } from '../../app/gates/evaluate-checklist.ts';
import { addToQuarantine } from '../../app/quarantine/add-to-quarantine.ts';
import { openQuarantine } from '../../app/quarantine/open-quarantine.ts';
import { ingestReport } from '../../app/tests/ingest-report.ts';
import { bufferSource } from '../../app/tests/report-source.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import type { TestVerdictEvidence } from '../gate-condition.ts';
import { TestsOptions, testsCondition } from './tests-condition.ts';

const now = new Date('2026-12-02T12:00:00Z');
const report = (...cases: string[]) => `<testsuite name="s">${cases.join('')}</testsuite>`;
const passing = '<testcase classname="s" name="ok"/>';
const failing = '<testcase classname="s" name="flaky one"><failure message="boom"/></testcase>';

/** A directory holding these files, seen through the real gate context (real `candor verdict`). */
function realContext(files: Record<string, string>, more: { store?: TestStore; now?: Date } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'candor-gate-tests-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  const { store } = more;
  return {
    root,
    context: createGateContext({
      root,
      now: more.now ?? now,
      store: () =>
        store === undefined ? Promise.reject(new Error('no store')) : Promise.resolve(store),
    }),
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

describe.each(testDialects)(
  'testsCondition budget: the flake budget of the store (%s)',
  (dialect) => {
    let store: TestStore;
    const hour = 3_600_000;
    // 18 runs on main, 2 hours apart before `now`: one test fails now and then (5 failures among
    // passes: flaky by failure rate), one always passes. 5 flaky of 36 executions: 13.8889%.
    const noisy = 'ppfppffpppfpppppfp';
    beforeAll(async () => {
      store = await openTestStore(dialect);
      for (const [i, outcome] of [...noisy].entries()) {
        const at = new Date(now.getTime() - (noisy.length - i) * 2 * hour).toISOString();
        const noisyCase =
          outcome === 'f'
            ? '<testcase classname="s" name="noisy"><failure message="boom"/></testcase>'
            : '<testcase classname="s" name="noisy"/>';
        const file = await ingestReport(store, {
          run: {
            id: `run-${i}`,
            repo: 'shop',
            branch: 'main',
            defaultBranch: 'main',
            commitSha: `c${i}`,
            startedAt: at,
          },
          source: bufferSource('junit.xml', Buffer.from(report(noisyCase, passing))),
          format: 'auto',
          allowEmpty: false,
          now: at,
        });
        expect(file.errors).toEqual([]);
      }
    });
    afterAll(async () => {
      await store.drop();
    });

    const files = { 'a.xml': report(passing) };

    it('fails when the flake rate over the window exceeds max, with the rate and the budget', async () => {
      const { context } = realContext(files, { store });
      expect(
        await decide({ files: 'a.xml', budget: { max: '10%', window: '14d' } }, context),
      ).toMatchObject({
        result: 'fail',
        value: 0.138889,
        threshold: 0.1,
        message: expect.stringContaining(
          'flake rate 13.889% (5 flaky of 36 executions since 2026-11-18T12:00:00.000Z), over the budget of 10%',
        ) as string,
      });
    });

    it('passes within the budget, a YAML number read as a share', async () => {
      const { context } = realContext(files, { store });
      expect(await decide({ files: 'a.xml', budget: { max: 0.2 } }, context)).toMatchObject({
        result: 'pass',
        value: 0.138889,
        threshold: 0.2,
        message: expect.stringContaining('within the budget of 20%') as string,
      });
    });

    it("takes candor flaky budget's defaults with budget: true (0.5%, 14 days)", async () => {
      const { context } = realContext(files, { store });
      expect(await decide({ files: 'a.xml', budget: true }, context)).toMatchObject({
        result: 'fail',
        threshold: 0.005,
      });
    });

    it('still fails on a blocking failure first, whatever the budget', async () => {
      const { context } = realContext({ 'a.xml': report(failing) }, { store });
      expect(await decide({ files: 'a.xml', budget: { max: '50%' } }, context)).toMatchObject({
        result: 'fail',
        value: 1,
        threshold: 0,
      });
    });

    it('is no evidence when the store holds no execution in the window', async () => {
      const later = new Date(now.getTime() + 30 * 86_400_000);
      const { context } = realContext(files, { store, now: later });
      expect(await decide({ files: 'a.xml', budget: { window: '7d' } }, context)).toMatchObject({
        kind: 'missing',
        expected:
          'test executions of the last 7 days in the store (none since 2026-12-25T12:00:00.000Z)',
      });
    });
  },
);

describe('testsCondition budget options', () => {
  it('refuses an unknown key and a bad share or window, naming them', () => {
    expect(TestsOptions.safeParse({ files: 'a.xml', budget: { maxx: 1 } }).success).toBe(false);
    expect(
      TestsOptions.safeParse({ files: 'a.xml', budget: { max: 'lots' } }).error?.message,
    ).toContain('expected a share such as 0.5% or 0.005');
    expect(TestsOptions.safeParse({ files: 'a.xml', budget: { window: 'soon' } }).success).toBe(
      false,
    );
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
