import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/lib/seeded-random.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { recordEvents } from '../delivery/record-events.ts';
import { ingestReport } from '../tests/ingest-report.ts';
import { bufferSource } from '../tests/report-source.ts';
import { buildCiHealth, type CiHealthReport } from './build-ci-health.ts';

const t0 = Date.parse('2026-11-16T00:00:00.000Z'); // a Monday
const hour = 3_600_000;
const now = new Date(t0 + 10 * hour);
const at = (hours: number) => new Date(t0 + hours * hour).toISOString();

type Outcome = 'pass' | 'fail' | 'retry-pass';
type Run = {
  id: string;
  hours: number;
  branch: string;
  commit: string;
  attempt?: string;
  a: Outcome;
  b: Outcome;
};

function junit(run: Run): string {
  const testCase = (name: string, outcome: Outcome) => {
    const head = `<testcase classname="shop" name="${name}" time="30"`;
    if (outcome === 'pass') return `${head}/>`;
    if (outcome === 'fail') return `${head}><failure message="boom"/></testcase>`;
    return `${head}><flakyFailure message="first try" time="30"/></testcase>`;
  };
  return `<testsuite name="shop">${testCase('a', run.a)}${testCase('b', run.b)}</testsuite>`;
}

/**
 * Known red periods on main: 1 → 3 h (7,200 s) and 5 → 5.5 h (1,800 s, a re-run of the same
 * commit passed), and one open since 8 h. A feature branch fails at 4 h and must not count.
 */
const history: Run[] = [
  { id: 'm1', hours: 0, branch: 'main', commit: 'c1', a: 'pass', b: 'retry-pass' },
  { id: 'm2', hours: 1, branch: 'main', commit: 'c2', a: 'fail', b: 'pass' },
  { id: 'm3', hours: 3, branch: 'main', commit: 'c3', a: 'pass', b: 'pass' },
  { id: 'f1', hours: 4, branch: 'feature/x', commit: 'f1', a: 'fail', b: 'fail' },
  { id: 'f2', hours: 4.5, branch: 'feature/x', commit: 'f2', a: 'pass', b: 'pass' },
  { id: 'm4', hours: 5, branch: 'main', commit: 'c4', attempt: '1', a: 'pass', b: 'fail' },
  { id: 'm5', hours: 5.5, branch: 'main', commit: 'c4', attempt: '2', a: 'pass', b: 'pass' },
  { id: 'm6', hours: 8, branch: 'main', commit: 'c6', a: 'fail', b: 'pass' },
];

async function ingest(store: TestStore, order: readonly Run[]): Promise<void> {
  for (const run of order) {
    await ingestReport(store, {
      run: {
        id: run.id,
        repo: 'acme/shop',
        branch: run.branch,
        defaultBranch: 'main',
        commitSha: run.commit,
        ciJob: 'test',
        ...(run.attempt === undefined ? {} : { ciAttempt: run.attempt }),
        startedAt: at(run.hours),
      },
      source: bufferSource('junit.xml', Buffer.from(junit(run))),
      format: 'auto',
      allowEmpty: false,
      now: now.toISOString(),
    });
  }
  const event = (type: string, hours: number) => ({
    type,
    occurredAt: at(hours),
    service: 'shop',
    commit: 'c3',
  });
  await recordEvents(
    store,
    [
      { value: event('commit_created', 2) },
      { value: event('artifact_built', 2.5) },
      { value: event('tests_passed', 3.25) },
    ],
    { receivedAt: now.toISOString(), atomic: true },
  );
}

const request = {
  now,
  since: { windowMs: 48 * hour },
  branch: 'main',
  environment: 'production',
  worst: 5,
};

describe.each(testDialects)('buildCiHealth on a generated history (%s)', (dialect) => {
  let inOrder: TestStore;
  let shuffled: TestStore;
  let report: CiHealthReport;
  beforeAll(async () => {
    inOrder = await openTestStore(dialect);
    shuffled = await openTestStore(dialect);
    await ingest(inOrder, history);
    const random = seededRandom(11);
    await ingest(
      shuffled,
      [...history].sort(() => random() - 0.5),
    );
    report = await buildCiHealth(inOrder, request);
  }, 60_000);
  afterAll(async () => {
    await inOrder.drop();
    await shuffled.drop();
  });

  it('measures the known red periods of main, not those of another branch', () => {
    expect(report).toMatchObject({
      branch: 'main',
      window: { from: at(-38), to: at(10) },
      runs: 6,
      redRuns: 3,
    });
    expect(report.red.episodes).toBe(3);
    expect(report.red.p50Seconds).toBe(4500); // type 7 over 1,800 and 7,200
    expect(report.red.p90Seconds).toBe(6660);
    expect(report.red.worst).toMatchObject([
      {
        start: at(1),
        end: at(3),
        durationSeconds: 7200,
        firstFailingCommit: 'c2',
        fixingCommit: 'c3',
        failingTests: ['shop::a'],
      },
      { start: at(5), end: at(5.5), durationSeconds: 1800, firstFailingCommit: 'c4' },
    ]);
    expect(report.red.open).toMatchObject([
      { start: at(8), end: null, durationSeconds: 7200, open: true, failingTests: ['shop::a'] },
    ]);
  });

  it('counts the re-run of c4 and the in-run retry with their test minutes', () => {
    expect(report.retries).toEqual({
      rerunJobs: 1,
      reruns: 1,
      passedOnRerun: 1,
      rerunMinutes: 1, // m5: two tests of 30 s
      retriedTests: 1,
      retriedTestMinutes: 0.5, // m1: b's failed attempt of 30 s
      totalMinutes: 1.5,
    });
  });

  it('gives stage latency per calendar week from the ledger, as candor dora does', () => {
    expect(report.stageLatency).toEqual([
      { from: at(-38), to: new Date(t0 - 1).toISOString(), stages: [] },
      {
        from: at(0),
        to: at(10),
        stages: [
          { from: 'commit_created', to: 'artifact_built', p50: 1800, p90: 1800, count: 1 },
          { from: 'artifact_built', to: 'tests_passed', p50: 2700, p90: 2700, count: 1 },
        ],
      },
    ]);
  });

  it('gives the same answer when the runs were ingested in another order', async () => {
    expect(await buildCiHealth(shuffled, request)).toEqual(report);
  });

  it('starts the window at a date', async () => {
    const since = await buildCiHealth(inOrder, { ...request, since: { from: at(4) } });
    expect(since.runs).toBe(3);
    expect(since.red.worst.map((e) => e.durationSeconds)).toEqual([1800]);
  });
});
