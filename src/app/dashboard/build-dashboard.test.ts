import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardQuery, type Dashboard } from '../../contracts/dashboard.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { ingestReport } from '../tests/ingest-report.ts';
import { bufferSource } from '../tests/report-source.ts';
import { defaultFlakyQuery } from '../../contracts/queries.ts';
import { analyzeFlakyTests } from '../flaky/build-flaky-report.ts';
import { buildDashboard, buildTestsPanel } from './build-dashboard.ts';

const now = new Date('2026-11-20T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

/**
 * Six runs on main. `Cart::retries` passes on a rerun (Surefire's flakyFailure) in runs 1, 3 and
 * 5, each time after a timeout; `Cart::sameCommit` fails in run 4 and passes in run 5 on the same
 * commit; `Cart::once` does the same in run 2 and passes on run 3 (commit c2 twice as well),
 * and also fails on run 6; `Cart::broken` fails everywhere; `Cart::steady` always passes.
 */
const runs = [
  { id: 'r1', commit: 'c1', retries: true, sameCommit: false, once: false },
  { id: 'r2', commit: 'c2', retries: false, sameCommit: false, once: true },
  { id: 'r3', commit: 'c2', retries: true, sameCommit: false, once: false },
  { id: 'r4', commit: 'c3', retries: false, sameCommit: true, once: false },
  { id: 'r5', commit: 'c3', retries: true, sameCommit: false, once: false },
  { id: 'r6', commit: 'c4', retries: false, sameCommit: false, once: true },
];

const testcase = (name: string, inner = '') =>
  `<testcase classname="Cart" name="${name}" time="0.1">${inner}</testcase>`;
const junit = (run: (typeof runs)[number]) =>
  `<testsuite name="shop">${[
    testcase('steady'),
    testcase(
      'retries',
      run.retries ? '<flakyFailure message="timeout after 5000 ms" type="TimeoutException"/>' : '',
    ),
    testcase('sameCommit', run.sameCommit ? '<failure message="expected 2 but was 3"/>' : ''),
    testcase('once', run.once ? '<failure message="expected 1 but was 0"/>' : ''),
    testcase('broken', '<failure message="always"/>'),
  ].join('')}</testsuite>`;

// The test truth panel's top flaky tests on a fixture whose flakiness is known: which tests, in
// which order (flaky rate, then failures), with which numbers, evidence and hints.
describe.each(testDialects)('the dashboard test truth panel on %s', (dialect) => {
  let store: TestStore;
  let tests: Extract<Dashboard['tests'], { status: 'ok' }>;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    for (const [index, run] of runs.entries()) {
      const ingested = await ingestReport(store, {
        run: {
          id: run.id,
          repo: 'acme/shop',
          branch: 'main',
          defaultBranch: 'main',
          commitSha: run.commit,
          startedAt: hoursAgo(60 - index * 10),
        },
        source: bufferSource('junit.xml', Buffer.from(junit(run))),
        format: 'junit',
        allowEmpty: false,
        now: hoursAgo(60 - index * 10),
      });
      expect(ingested.tests).toBe(5);
    }
    const dashboard = await buildDashboard(store, {
      ...DashboardQuery.parse({ window: '7d' }),
      now,
    });
    if (dashboard.tests.status !== 'ok') throw new Error('the fixture has test results');
    tests = dashboard.tests;
  });
  afterAll(() => store.drop());

  it('lists the flaky tests by flaky rate, then failures, with their numbers', () => {
    expect(
      tests.topFlaky.map((t) => ({
        key: t.key,
        executions: t.executions,
        failures: t.failures,
        signals: t.signals,
      })),
    ).toEqual([
      { key: 'Cart::retries', executions: 6, failures: 0, signals: ['retry'] },
      { key: 'Cart::once', executions: 6, failures: 2, signals: ['same-commit'] },
      { key: 'Cart::sameCommit', executions: 6, failures: 1, signals: ['same-commit'] },
    ]);
    // Three flaky executions of six; one failure on a commit that then passed, of six.
    expect(tests.topFlaky.map((t) => t.flakyRate)).toEqual([
      expect.closeTo(3 / 6, 6),
      expect.closeTo(1 / 6, 6),
      expect.closeTo(1 / 6, 6),
    ]);
    expect(tests.broken.map((t) => [t.key, t.failures, t.executions])).toEqual([
      ['Cart::broken', 6, 6],
    ]);
  });

  it('gives each flaky test its evidence, newest first, and its hints', () => {
    const [retries, once, sameCommit] = tests.topFlaky;
    expect(retries?.evidence.map((e) => [e.kind, e.runId])).toEqual([
      ['retry', 'r5'],
      ['retry', 'r3'],
      ['retry', 'r1'],
    ]);
    expect(retries?.hints.join(' ')).toMatch(/3 of 3 failure messages mention a timeout/);
    expect(sameCommit?.evidence.map((e) => [e.kind, e.commit])).toEqual([['same-commit', 'c3']]);
    expect(once?.evidence.map((e) => [e.kind, e.commit])).toEqual([['same-commit', 'c2']]);
    expect(once?.hints).toEqual([]);
  });

  it('counts every execution in the budget, and the weeks add up to it', () => {
    // Flaky executions: 3 retries, and one failure on a commit that then passed for two tests.
    expect(tests.budget.executions).toBe(30);
    expect(tests.budget.rate).toBeCloseTo(5 / 30, 6);
    // The 7-day window ends on a Friday: the clipped week before, then the fixture's week.
    expect(tests.weekly.map((w) => [w.from.slice(0, 10), w.executions, w.rate])).toEqual([
      ['2026-11-13', 0, null],
      ['2026-11-16', 30, tests.budget.rate],
    ]);
  });

  // The panel loads evidence and hints only for the tests it lists (detailsFor); everything it
  // shows must be what the full analysis (the panel's read before that) says.
  it('lists what the full flaky analysis of the window says, evidence and hints included', async () => {
    const query = { ...DashboardQuery.parse({ window: '7d' }), now };
    const full = await analyzeFlakyTests(store, {
      ...defaultFlakyQuery,
      ownersOf: () => [],
      now,
      windowMs: query.windowMs,
    });
    const { tests: panel } = await buildTestsPanel(store, query);
    if (panel.status !== 'ok') throw new Error('the fixture has test results');
    expect(panel.budget).toEqual(full.budget);
    const listed = (classification: string) =>
      full.notable
        .filter((t) => t.classification === classification)
        .map((t) => ({
          key: t.key,
          flakyRate: t.flakyRate,
          evidence: (t.evidence ?? []).map((e) => [e.kind, e.at, e.runId, e.commit]),
          hints: t.hints ?? [],
        }));
    const shown = (tests: typeof panel.topFlaky) =>
      tests.map((t) => ({
        key: t.key,
        flakyRate: t.flakyRate,
        evidence: t.evidence.map((e) => [e.kind, e.at, e.runId, e.commit]),
        hints: t.hints,
      }));
    expect(shown(panel.topFlaky)).toEqual(listed('flaky'));
    expect(shown(panel.broken)).toEqual(listed('broken'));
  });

  it('loads evidence and hints for the first N of each class only, in the same order', async () => {
    const flakyQuery = {
      ...defaultFlakyQuery,
      ownersOf: () => [],
      now,
      windowMs: 7 * 86_400_000,
    };
    const full = await analyzeFlakyTests(store, flakyQuery);
    const first = await analyzeFlakyTests(store, flakyQuery, { detailsFor: 1 });
    expect(first.notable.map((t) => t.key)).toEqual(full.notable.map((t) => t.key));
    expect(first.budget).toEqual(full.budget);
    expect(first.notable.map((t) => [t.key, t.evidence?.length, t.hints])).toEqual(
      full.notable.map((t) =>
        ['Cart::retries', 'Cart::broken'].includes(t.key)
          ? [t.key, t.evidence?.length, t.hints]
          : [t.key, undefined, undefined],
      ),
    );
  });
});
