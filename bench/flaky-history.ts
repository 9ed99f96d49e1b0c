import { sql } from 'kysely';
import type { Store } from '../src/store/open-store.ts';

/**
 * Fills a store with a generated history straight in SQL, as ingest would have left it:
 * `tests` × `runs` executions over 14 days (1% of tests flaky on retry 10% of the time, 0.5%
 * failing 30% of the time), and the aggregates the ingest keeps (daily stats, failures, retry
 * evidence, test state). SQLite only. Going through the ingest would take minutes for 10M rows
 * and measure the ingest, which section (a) already does.
 */
export async function generateFlakyHistory(
  store: Store,
  options: { tests: number; runs: number; now: Date },
): Promise<void> {
  const { db } = store;
  const start = options.now.getTime() - 14 * 86_400_000;
  const step = (14 * 86_400_000) / options.runs;
  await sql`drop index test_executions_test_order`.execute(db);
  await sql`drop index test_executions_report`.execute(db);
  await sql`
    with recursive n(i) as (select 0 union all select i + 1 from n where i < ${options.tests - 1})
    insert into tests (id, repo, key, name, classname, file, line, suite, variant, first_seen_at)
    select printf('t%08d', i), 'bench', printf('com.example.module%d.Suite%d::test_%d', i % 50, i / 100, i),
      printf('test_%d', i), printf('com.example.module%d.Suite%d', i % 50, i / 100), null, null,
      printf('com.example.module%d.Suite%d', i % 50, i / 100), null, '2026-01-01T00:00:00.000Z' from n`.execute(
    db,
  );
  await sql`
    with recursive n(i) as (select 0 union all select i + 1 from n where i < ${options.runs - 1})
    insert into test_runs (id, repo, branch, commit_sha, ci_provider, ci_job, ci_attempt, ci_url, variant, started_at, created_at, default_branch)
    select printf('r%06d', i), 'bench', 'main', printf('c%06d', i / 2), null, printf('job-%d', i % 4), null, null, null,
      strftime('%Y-%m-%dT%H:%M:%fZ', (${start} + i * ${step}) / 1000.0, 'unixepoch'),
      strftime('%Y-%m-%dT%H:%M:%fZ', (${start} + i * ${step}) / 1000.0, 'unixepoch'), 'main' from n`.execute(
    db,
  );
  await sql`
    insert into test_reports (id, seq, run_id, path, format, content_sha256, size_bytes, test_cases, tests, passed, failed, skipped, flaky, ingested_at, systemic)
    select 'p' || id, row_number() over (order by id), id, 'junit.xml', 'junit', 'sha-' || id, 0, ${options.tests}, ${options.tests}, 0, 0, 0, 0, started_at, 0 from test_runs`.execute(
    db,
  );
  // status from a hash of (run, test): deterministic, no JS round trip for 10M rows
  await sql`
    insert into test_executions (report_seq, test_id, status, duration_ms, attempt_count, failed_attempts, attempts, started_at)
    select p.seq, t.id,
      case
        when cast(substr(t.id, 2) as integer) % 100 = 7 and abs(random()) % 10 = 0 then 'flaky'
        when cast(substr(t.id, 2) as integer) % 200 = 13 and abs(random()) % 10 < 3 then 'failed'
        else 'passed' end,
      abs(random()) % 500, 1, 0, null, r.started_at
    from test_runs r join test_reports p on p.run_id = r.id cross join tests t`.execute(db);
  await sql`create index test_executions_test_order on test_executions (test_id, started_at, report_seq, status)`.execute(
    db,
  );
  await sql`create index test_executions_report on test_executions (report_seq)`.execute(db);
  await sql`
    insert into test_daily_stats (day, on_default_branch, test_id, executions, passed, failed, flaky, skipped, systemic_failures, flips, duration_ms_sum, duration_count)
    select substr(started_at, 1, 10), 1, test_id, count(*), sum(status = 'passed'), sum(status = 'failed'), sum(status = 'flaky'), 0, 0,
      sum(status = 'failed'), sum(duration_ms), count(*)
    from test_executions group by 1, 2, 3`.execute(db);
  await sql`
    insert into daily_totals (repo, day, on_default_branch, executions, flaky)
    select 'bench', day, on_default_branch, sum(executions), sum(flaky) from test_daily_stats group by 1, 2, 3`.execute(
    db,
  );
  await sql`
    insert into test_failures (test_id, report_id, run_id, commit_sha, at, status, systemic, duration_ms, message)
    select e.test_id, p.id, p.run_id, r.commit_sha, e.started_at, e.status, 0, e.duration_ms, 'boom'
    from test_executions e join test_reports p on p.seq = e.report_seq join test_runs r on r.id = p.run_id
    where e.status in ('failed', 'flaky')`.execute(db);
  await sql`
    insert into test_flaky_events (test_id, at, kind, run_id, commit_sha, other_run_id)
    select test_id, at, 'retry', run_id, commit_sha, null from test_failures where status = 'flaky'`.execute(
    db,
  );
  await sql`
    insert into test_state (test_id, last_status, last_at, last_flaky_at, clean_since_flaky, default_fail_streak)
    select test_id, 'passed', max(at), max(at), 3, 0 from test_failures where status = 'flaky' group by test_id`.execute(
    db,
  );
  await sql`analyze`.execute(db);
}
