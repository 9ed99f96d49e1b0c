// Bench part (s): one 100k-case report stored into a store that already holds a month of the same
// suite (issue 10 item 6, docs/adr/0050). Bench (a) stores into an empty database, where every
// index fits in the page cache; a team's store holds weeks of executions and daily stats, and
// ingest then writes into indexes keyed by test, a page per test.
import { sql } from 'kysely';
import { ingestReport } from '../src/app/tests/ingest-report.ts';
import { bufferSource } from '../src/app/tests/report-source.ts';
import { openTestStore, type TestDialect } from '../src/testing/open-test-store.ts';
import { generateJunit } from './generate-junit.ts';
import { onOneConnection, type Timing } from './ingest-limit.ts';

const day = 86_400_000;

/**
 * Per dialect: the suite ingested once, `historyDays` earlier days made from it (its executions
 * and daily stats copied, each day under a run of its own), then two ingests timed: the first of
 * a new day (it settles the day before into the daily stats) and a later one the same day.
 */
export async function benchSteadyState(
  dialects: readonly TestDialect[],
  historyDays: number,
  line: (label: string, value: string) => void,
  fmt: (n: number, digits?: number) => string,
): Promise<void> {
  const big = Buffer.from([...generateJunit({ testCases: 100_000, outputChars: 400 })].join(''));
  console.log(
    `\n(s) steady state: the 100,000-case report into a store holding ${historyDays} days of it`,
  );
  const today = Date.parse('2026-11-30T00:00:00.000Z');
  const dayOf = (offset: number) => new Date(today + offset * day).toISOString().slice(0, 10);
  for (const dialect of dialects) {
    const store = await openTestStore(dialect);
    try {
      const ingest = (runId: string, at: string) =>
        onOneConnection(store, (pinned) =>
          ingestReport(pinned, {
            run: { id: runId, repo: 'bench', startedAt: at },
            source: bufferSource('big.xml', big),
            format: 'junit',
            allowEmpty: false,
            now: at,
            parseInWorkerFromBytes: Infinity,
          }),
        );
      await ingest('h0', `${dayOf(-1)}T10:00:00.000Z`);
      const built = performance.now();
      for (let d = 2; d <= historyDays; d++) {
        const date = dayOf(-d);
        // A report number the database never hands out (they start at 1): history with no report.
        await sql`insert into test_executions (report_seq, test_id, status, duration_ms,
            attempt_count, failed_attempts, attempts, started_at, properties)
          select ${-d}, test_id, status, duration_ms, attempt_count,
            failed_attempts, attempts, ${date} || substr(started_at, 11), properties
          from test_executions
          where report_seq = (select seq from test_reports where run_id = 'h0')`.execute(store.db);
        await sql`insert into test_daily_stats (day, on_default_branch, test_id, executions, passed,
            failed, flaky, skipped, systemic_failures, flips, duration_ms_sum, duration_count)
          select ${date}, on_default_branch, test_id, executions, passed, failed, flaky, skipped,
            systemic_failures, flips, duration_ms_sum, duration_count
          from test_daily_recent where day = ${dayOf(-1)}`.execute(store.db);
      }
      if (dialect === 'postgres') await sql`analyze`.execute(store.db);
      line(
        `${dialect}: history made`,
        `${fmt((historyDays * 100_000) / 1e6, 1)}M executions and daily stats in ${fmt((performance.now() - built) / 1_000, 1)} s`,
      );
      const timing = (t: Timing) =>
        `${fmt(t.seconds, 2)} s (${fmt(100_000 / t.seconds)}/s), CPU ${fmt(t.cpuSeconds + t.serverCpuSeconds, 2)} s`;
      const first = await ingest('s1', `${dayOf(0)}T08:00:00.000Z`);
      line(`${dialect}, first ingest of a day (settles the day before)`, timing(first));
      const later = await ingest('s2', `${dayOf(0)}T09:00:00.000Z`);
      line(`${dialect}, a later ingest the same day`, timing(later));
    } finally {
      await store.drop();
    }
  }
}
