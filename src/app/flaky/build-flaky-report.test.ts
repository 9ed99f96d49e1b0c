import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/lib/seeded-random.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { referenceBuildFlakyReport } from '../../testing/reference-build-flaky-report.ts';
import { buildFlakyReport, type FlakyReport } from './build-flaky-report.ts';
import { ingestReport } from '../tests/ingest-report.ts';
import { bufferSource } from '../tests/report-source.ts';

const now = new Date('2026-11-22T12:00:00.000Z');
const truth = {
  healthy: Array.from({ length: 40 }, (_, i) => `shop.Healthy${i}::works`),
  retryFlaky: Array.from({ length: 8 }, (_, i) => `shop.RetryFlaky${i}::sometimes`),
  crossRunFlaky: Array.from({ length: 6 }, (_, i) => `shop.CrossRun${i}::sometimes`),
  broken: Array.from({ length: 4 }, (_, i) => `shop.Broken${i}::always`),
};
const flakyKeys = new Set([...truth.retryFlaky, ...truth.crossRunFlaky]);

type Outcome = 'pass' | 'fail' | 'retry-pass';

function junit(outcomes: Map<string, Outcome>): string {
  const cases = [...outcomes].map(([key, outcome]) => {
    const [classname, name] = key.split('::') as [string, string];
    const head = `<testcase classname="${classname}" name="${name}" time="0.1"`;
    if (outcome === 'pass') return `${head}/>`;
    if (outcome === 'fail') return `${head}><failure message="boom"/></testcase>`;
    return `${head}><flakyFailure message="first try"/></testcase>`;
  });
  return `<testsuite name="shop">${cases.join('')}</testsuite>`;
}

/**
 * 40 commits on main over ten days; a failed run is re-run once on the same commit (as people
 * press retry). Run 20 is an infrastructure event: half of all tests fail at once. Broken tests
 * fail from run 30 on.
 */
async function generateHistory(store: TestStore): Promise<void> {
  const random = seededRandom(42);
  const all = [...truth.healthy, ...truth.retryFlaky, ...truth.crossRunFlaky, ...truth.broken];
  let runNumber = 0;
  for (let commit = 0; commit < 40; commit++) {
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcomes = new Map<string, Outcome>();
      for (const key of all) {
        let outcome: Outcome = 'pass';
        if (truth.retryFlaky.includes(key) && random() < 0.15) outcome = 'retry-pass';
        if (truth.crossRunFlaky.includes(key) && random() < 0.25) outcome = 'fail';
        if (truth.broken.includes(key) && commit >= 30) outcome = 'fail';
        if (commit === 20 && attempt === 0 && random() < 0.5) outcome = 'fail';
        outcomes.set(key, outcome);
      }
      const startedAt = new Date(
        now.getTime() - (10 * 86_400_000 * (40 - commit)) / 40 + attempt * 1_800_000,
      ).toISOString();
      await ingestReport(store, {
        run: {
          id: `run-${++runNumber}`,
          repo: 'acme/shop',
          branch: 'main',
          defaultBranch: 'main',
          commitSha: `c${commit}`,
          startedAt,
        },
        source: bufferSource('junit.xml', Buffer.from(junit(outcomes))),
        format: 'auto',
        allowEmpty: false,
        now: startedAt,
      });
      if (![...outcomes.values()].includes('fail')) break;
    }
  }
}

describe.each(testDialects)('buildFlakyReport on a generated history (%s)', (dialect) => {
  let store: TestStore;
  let report: FlakyReport;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    await generateHistory(store);
    report = await buildFlakyReport(store, {
      now,
      windowMs: 14 * 86_400_000,
      defaultBranch: 'main',
      maxBudget: 0.005,
      ownersOf: () => [],
    });
  }, 120_000);
  afterAll(async () => {
    await store.drop();
  });

  const classified = (c: string) =>
    new Set(report.tests.filter((t) => t.classification === c).map((t) => t.key));

  it('agrees with the whole-history reference build, test by test and in order', async () => {
    for (const query of [
      { branch: undefined, repo: undefined },
      { branch: 'main', repo: undefined },
      { branch: 'feature', repo: undefined },
      { branch: undefined, repo: 'nowhere' },
    ]) {
      const options = {
        now,
        windowMs: 14 * 86_400_000,
        defaultBranch: 'main',
        maxBudget: 0.005,
        ownersOf: (file: string) => (file.includes('a') ? ['@a'] : []),
        ...query,
      };
      const reference = await referenceBuildFlakyReport(store, options);
      // Held in memory (a small window), and read again by cursor (as for a huge one).
      expect(await buildFlakyReport(store, options)).toEqual(reference);
      expect(await buildFlakyReport(store, options, { restLimit: 0 })).toEqual(reference);
    }
    expect(report.tests.length).toBeGreaterThan(0);
  });

  it('finds flaky tests with precision >= 0.95 and recall >= 0.9', () => {
    const found = classified('flaky');
    const truePositives = [...found].filter((k) => flakyKeys.has(k)).length;
    expect(truePositives / found.size).toBeGreaterThanOrEqual(0.95);
    expect(truePositives / flakyKeys.size).toBeGreaterThanOrEqual(0.9);
  });

  it('calls the consistently failing tests broken, not flaky', () => {
    expect(classified('broken')).toEqual(new Set(truth.broken));
  });

  it('does not let the infrastructure event make healthy tests flaky, and lists it', () => {
    expect(truth.healthy.every((k) => classified('healthy').has(k))).toBe(true);
    expect(report.systemicRuns).toHaveLength(1);
    expect(report.systemicRuns[0]).toMatchObject({ commit: 'c20', tests: 58 });
  });

  it('shows which signal and which runs make a test flaky', () => {
    const retry = report.tests.find((t) => t.key === truth.retryFlaky[0]);
    expect(retry?.signals).toContain('retry');
    expect(retry?.evidence?.[0]).toMatchObject({
      kind: 'retry',
      runId: expect.stringMatching(/^run-/),
    });
    const crossRun = report.tests.filter((t) => truth.crossRunFlaky.includes(t.key));
    expect(crossRun.some((t) => t.signals.includes('same-commit'))).toBe(true);
    const sameCommit = crossRun
      .flatMap((t) => t.evidence ?? [])
      .find((e) => e.kind === 'same-commit');
    expect(sameCommit).toMatchObject({
      commit: expect.stringMatching(/^c\d+$/),
      otherRunId: expect.stringMatching(/^run-/),
    });
  });

  it('lists every test seen in the window with the JSON fields', () => {
    expect(report.tests).toHaveLength(58);
    expect(Object.keys(report.tests[0]!)).toEqual(
      expect.arrayContaining([
        'key',
        'name',
        'suite',
        'file',
        'classification',
        'flakyRate',
        'executions',
        'failures',
        'flakyExecutions',
        'signals',
        'lastFlakyAt',
      ]),
    );
  });

  it('computes the budget as flaky executions over all executions', () => {
    const { budget } = report;
    const flakyExecutions = report.tests.reduce((s, t) => s + t.flakyExecutions, 0);
    const executions = report.tests.reduce((s, t) => s + t.executions, 0);
    expect(budget.flakyExecutions).toBe(flakyExecutions);
    expect(budget.executions).toBe(executions);
    expect(budget.rate).toBeCloseTo(flakyExecutions / executions, 6);
    expect(budget.overBudget).toBe(true);
    expect(budget.testsFlakyAtLeastOnce).toBe(
      report.tests.filter((t) => t.flakyExecutions > 0).length,
    );
    expect(budget.weekly.reduce((s, w) => s + w.executions, 0)).toBe(executions);
    expect(budget.weekly.reduce((s, w) => s + w.flakyExecutions, 0)).toBe(flakyExecutions);
    expect(budget.topSpenders[0]?.flakyExecutions).toBeGreaterThan(0);
  });
});
