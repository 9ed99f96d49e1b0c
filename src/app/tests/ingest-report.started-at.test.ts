import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { ingestReport, type RunRecord } from './ingest-report.ts';
import { loadTestHistory } from './load-test-history.ts';
import { bufferSource } from './report-source.ts';

const now = '2026-11-20T12:00:00.000Z';

/** A JUnit report of one test `c::t`, passing or failing, stamped `timestamp` when given. */
function report(status: 'passed' | 'failed', timestamp?: string): Buffer {
  const stamp = timestamp === undefined ? '' : ` timestamp="${timestamp}"`;
  const body = status === 'failed' ? '<failure message="boom"/>' : '';
  return Buffer.from(
    `<testsuites><testsuite name="s"${stamp}><testcase classname="c" name="t">${body}</testcase></testsuite></testsuites>`,
  );
}

describe.each(testDialects)('a run start taken from the report on %s', (dialect) => {
  let store: TestStore;
  let repos = 0;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.drop();
  });

  /** A run as `candor ingest` resolves it without --started-at (or with it, when given). */
  const runOf = (repo: string, id: string, startedAt?: string): RunRecord => ({
    id,
    repo,
    branch: 'main',
    commitSha: id,
    startedAt: startedAt ?? now,
    isStartedAtDefault: startedAt === undefined,
  });
  const ingest = async (run: RunRecord, body: Buffer, path = 'junit.xml') => {
    const file = await ingestReport(store, {
      run,
      source: bufferSource(path, body),
      format: 'auto',
      allowEmpty: false,
      now,
    });
    expect(file.errors).toEqual([]);
    return file;
  };
  const runStart = async (id: string) =>
    (
      await store.db
        .selectFrom('test_runs')
        .select('started_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).started_at;
  const history = async (repo: string) => {
    const { tests } = await loadTestHistory(store, { key: 'c::t', repo, limit: 50 });
    return (tests[0]?.executions ?? []).map((e) => `${e.run} ${e.startedAt} ${e.status}`);
  };

  it('sorts a back-filled report without --started-at by its own timestamp, evidence included', async () => {
    const repo = `backfill-${++repos}`;
    await ingest(runOf(repo, 'today'), report('passed', '2026-11-20T09:00:00'));
    // Ingested later, ran earlier: yesterday's failing run.
    await ingest(runOf(repo, 'yesterday'), report('failed', '2026-11-19T09:00:00Z'));
    expect(await history(repo)).toEqual([
      'today 2026-11-20T09:00:00.000Z passed',
      'yesterday 2026-11-19T09:00:00.000Z failed',
    ]);
    expect(await runStart('yesterday')).toBe('2026-11-19T09:00:00.000Z');
    const failures = await store.db
      .selectFrom('test_failures')
      .select(['run_id', 'at'])
      .where('run_id', '=', 'yesterday')
      .execute();
    expect(failures).toEqual([{ run_id: 'yesterday', at: '2026-11-19T09:00:00.000Z' }]);
    const test = await store.db
      .selectFrom('tests')
      .select('first_seen_at')
      .where('repo', '=', repo)
      .executeTakeFirstOrThrow();
    expect(test.first_seen_at).toBe('2026-11-19T09:00:00.000Z');
  });

  it('lets an explicit --started-at win over the report timestamp', async () => {
    const repo = `explicit-${++repos}`;
    await ingest(
      runOf(repo, 'given', '2026-11-10T00:00:00.000Z'),
      report('passed', '2026-11-19T09:00:00Z'),
    );
    expect(await runStart('given')).toBe('2026-11-10T00:00:00.000Z');
  });

  it('keeps the ingest time when the report states none, or one that is not plausible', async () => {
    const repo = `none-${++repos}`;
    await ingest(runOf(repo, 'plain'), report('passed'));
    expect(await runStart('plain')).toBe(now);
    await ingest(runOf(repo, 'future'), report('passed', '2027-06-01T00:00:00Z'));
    expect(await runStart('future')).toBe(now);
  });

  it('starts a run of several reports at the earliest, its untimed reports included', async () => {
    const repo = `shards-${++repos}`;
    const run = runOf(repo, 'shards');
    await ingest(run, report('passed', '2026-11-19T10:00:00Z'), 'a.xml');
    await ingest(run, report('failed', '2026-11-19T09:30:00Z'), 'b.xml');
    await ingest(run, report('passed'), 'c.xml');
    expect(await runStart('shards')).toBe('2026-11-19T09:30:00.000Z');
    const starts = await store.db
      .selectFrom('test_executions as e')
      .innerJoin('test_reports as p', 'p.seq', 'e.report_seq')
      .select('e.started_at')
      .distinct()
      .where('p.run_id', '=', 'shards')
      .execute();
    expect(starts).toEqual([{ started_at: '2026-11-19T09:30:00.000Z' }]);
  });
});
