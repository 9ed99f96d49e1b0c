import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { BloomFilter } from '../../core/lib/bloom-filter.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { implausibleTime } from '../../core/lib/plausible-time.ts';
import { isSystemicFailure } from '../../core/tests/systemic-failure.ts';
import {
  aggregateReport,
  recordFailures,
} from '../../store/repositories/flaky/flaky-aggregate.repository.ts';
import { finalStatus } from '../../core/tests/final-status.ts';
import { isRepeatARetry } from '../../core/tests/is-repeat-a-retry.ts';
import { testKey } from '../../core/tests/test-key.ts';
import type { ReportedTest, StatusCounts } from '../../core/tests/test-model.ts';
import { emptyCounts } from '../../core/tests/test-model.ts';
import type { TestRun } from '../../core/tests/test-run.ts';
import type { ReadProblem } from '../../readers/test-results/test-result-reader.ts';
import {
  openReport,
  readOpenedReport,
  type OpenedReport,
} from '../../readers/test-results/open-report.ts';
import {
  isReportFormat,
  type ReportFormat,
} from '../../readers/test-results/test-result-readers.ts';
import { retryWrites, type Store } from '../../store/open-store.ts';
import { testId } from '../../store/repositories/tests/test-id.ts';
import {
  ensureRun,
  findReportByContent,
  findRunStart,
  moveRunStartEarlier,
  findReportExecutions,
  insertReport,
  updateReportCounts,
  upsertTests,
  writeExecutions,
  type ExecutedTest,
  type StoredExecution,
} from '../../store/repositories/tests/test-result.repository.ts';
import type { ReportSource } from './report-source.ts';
import { noCheckout, withRepoPaths, type TestPaths } from './test-paths.ts';

/**
 * The run a report belongs to, fully resolved (see resolveRun). `isStartedAtDefault`: nobody
 * said when it started (no `--started-at`, no CI start time), so `startedAt` is when the ingest
 * began and a time the report states replaces it (the earliest wins, see `storeReport`).
 */
export type RunRecord = TestRun & { isStartedAtDefault?: boolean };

export type IngestProblem = {
  message: string;
  line: number | null;
  column: number | null;
  path?: string;
};

/** What happened to one report: the JSON contract of `candor ingest --json` per file. */
export type IngestedFile = StatusCounts & {
  path: string;
  format: ReportFormat | null;
  errors: IngestProblem[];
  /** True when this exact report was already stored in this run (nothing new was written). */
  duplicate: boolean;
  testCases: number;
};

export type IngestRequest = {
  run: RunRecord;
  source: ReportSource;
  format: ReportFormat | 'auto';
  allowEmpty: boolean;
  /** ISO time of ingestion (passed in, not read from a clock). */
  now: string;
  /** How the report's paths become repository-relative (default: CI checkout prefixes only). */
  paths?: TestPaths;
  /**
   * Reports of at least this many bytes are parsed in a worker. Default: `parseInWorkerFromBytes`,
   * while two cores are free (`hasCoresForParseWorker`) and no other report of this process is
   * in a worker.
   */
  parseInWorkerFromBytes?: number;
};

class RejectReport extends Error {
  readonly problems: ReadProblem[];
  constructor(problems: ReadProblem[]) {
    super('report rejected');
    this.problems = problems;
  }
}

const flushSize = 1_000;

/**
 * Reports at least this large are parsed in a worker thread, so parsing overlaps storing
 * (docs/adr/0046); starting a worker costs more than parsing a small report.
 */
export const parseInWorkerFromBytes = 1024 * 1024;

/** Reports this process is parsing in a worker thread now. */
let parseWorkers = 0;

/**
 * Whether a parse worker would run beside the store instead of taking turns with it: at least
 * three cores (the ingest's thread, the worker's, and one for both isolates' collector threads
 * and the rest of the machine), and the load average of the last minute leaving two of them
 * free. On two cores the worker made ingest slower and larger even on an idle machine (a
 * 100k-case report 0.1 to 0.4 s slower in four pairs; a 1 GB report 27.5 s and 229 MB peak RSS
 * against 23.9 s and 206 MB, docs/adr/0050). Stored rows are the same either way (docs/adr/0046).
 */
export function hasCoresForParseWorker(
  load = loadavg()[0]!,
  cores = availableParallelism(),
): boolean {
  return cores >= 3 && load <= cores - 2;
}

/**
 * Stores one report in one transaction: all of it, or nothing when it cannot be read.
 * Idempotent: a report whose content is already stored in the run is reported as a duplicate.
 * Expected problems (bad or empty report) come back in `errors`; throws CandorError `database`
 * when the store fails.
 */
export async function ingestReport(store: Store, request: IngestRequest): Promise<IngestedFile> {
  const { run, source } = request;
  const existing = await findReportByContent(store.db, run.id, source.contentSha256).catch(
    (e: unknown) => {
      throw databaseError(e);
    },
  );
  if (existing) {
    return {
      path: source.path,
      // Only readers' ids are ever stored; one no reader has any more reads as unknown.
      format: isReportFormat(existing.format) ? existing.format : null,
      tests: existing.tests,
      passed: existing.passed,
      failed: existing.failed,
      skipped: existing.skipped,
      flaky: existing.flaky,
      testCases: existing.testCases,
      errors: [],
      duplicate: true,
    };
  }
  const opened = await openSource(source, request.format);
  if (!opened.ok) return rejected(source.path, opened.format ?? null, opened.errors);
  const format = opened.value.format;
  let attempt = 0;
  try {
    // Another writer holding the database (SQLite busy, a PostgreSQL deadlock) means: try again.
    return await retryWrites(store, async () => {
      attempt++;
      let report = opened.value;
      if (attempt > 1) {
        const again = await openSource(source, format);
        if (!again.ok) throw new RejectReport(again.errors);
        report = again.value;
      }
      try {
        return await storeReport(store, request, report);
      } catch (error) {
        if (error instanceof RejectReport || error instanceof CandorError) throw error;
        if (store.isRetryable(error)) throw error;
        // Another writer stored the same report first (two uploads racing): same as a duplicate.
        const raced = await findReportByContent(store.db, run.id, source.contentSha256).catch(
          () => undefined,
        );
        if (raced) return ingestReport(store, request);
        throw error;
      }
    });
  } catch (error) {
    if (error instanceof RejectReport) return rejected(source.path, format, error.problems);
    throw databaseError(error, source.path);
  }
}

async function storeReport(
  store: Store,
  request: IngestRequest,
  report: OpenedReport,
): Promise<IngestedFile> {
  const { source } = request;
  const { format } = report;
  const reportId = randomUUID();
  return store.db.transaction().execute(async (trx) => {
    await ensureRun(store, trx, request.run, request.now);
    // A run whose start nobody gave starts when the run row says (an earlier report's time).
    const run: RunRecord = request.run.isStartedAtDefault
      ? { ...request.run, startedAt: await findRunStart(trx, request.run.id) }
      : request.run;
    const reportSeq = await insertReport(store, trx, {
      id: reportId,
      runId: run.id,
      path: source.path,
      format,
      contentSha256: source.contentSha256,
      sizeBytes: source.sizeBytes,
      ingestedAt: request.now,
    });
    let pending: ReportedTest[] = [];
    const context: BatchContext = {
      reportSeq,
      reportId,
      run,
      counts: emptyCounts(),
      written: new BloomFilter(),
      paths: request.paths ?? noCheckout,
    };
    // Batches of exactly flushSize tests (the last one excepted) keep statements the same shape,
    // so the prepared statement is reused instead of compiled again.
    // One parse worker at a time in this process by default: concurrent uploads to the server
    // would otherwise start one each before the load average shows it.
    const inWorker =
      request.parseInWorkerFromBytes === undefined
        ? source.sizeBytes >= parseInWorkerFromBytes &&
          parseWorkers === 0 &&
          hasCoresForParseWorker()
        : source.sizeBytes >= request.parseInWorkerFromBytes;
    if (inWorker) parseWorkers++;
    let outcome: Awaited<ReturnType<typeof readOpenedReport>>;
    try {
      outcome = await readOpenedReport(
        report,
        async (tests) => {
          pending.push(...tests);
          while (pending.length >= flushSize) {
            await writeBatch(store, trx, context, pending.slice(0, flushSize));
            pending = pending.slice(flushSize);
          }
        },
        { inWorker },
      );
    } finally {
      if (inWorker) parseWorkers--;
    }
    if (!outcome.ok) throw new RejectReport(outcome.errors);
    await writeBatch(store, trx, context, pending);
    const counts = context.counts;
    if (counts.tests === 0 && !request.allowEmpty) {
      throw new RejectReport([
        {
          message:
            'the report holds no test cases (a run that parsed nothing must not look green); pass --allow-empty to accept it',
        },
      ]);
    }
    const startedAt = await adoptReportStart(
      trx,
      run,
      request.now,
      reportSeq,
      outcome.value.startedAt,
    );
    const systemic = isSystemicFailure(counts);
    await updateReportCounts(trx, reportId, {
      ...counts,
      testCases: outcome.value.testCases,
      systemic,
    });
    await aggregateReport(store, trx, {
      reportId,
      reportSeq,
      repo: run.repo,
      tests: counts.tests,
      flaky: counts.flaky,
      runId: run.id,
      commitSha: run.commitSha ?? null,
      at: startedAt,
      onDefaultBranch: run.branch !== undefined && run.branch === run.defaultBranch,
      systemic,
    });
    return {
      path: source.path,
      format,
      ...counts,
      testCases: outcome.value.testCases,
      errors: [],
      duplicate: false,
    };
  });
}

/**
 * The run's start once this report is stored. When nobody said when the run started, the time
 * the report states (plausible: not after the ingest began, give or take clock skew) moves the
 * run's start earlier, in the same transaction, before anything derived from it is aggregated;
 * several reports in one run leave it at the earliest. Rows written batch by batch carry the
 * provisional start until then, so nothing is held back in memory.
 */
async function adoptReportStart(
  trx: Parameters<typeof moveRunStartEarlier>[0],
  run: RunRecord,
  now: string,
  reportSeq: number,
  reported: string | undefined,
): Promise<string> {
  if (run.isStartedAtDefault !== true || reported === undefined) return run.startedAt;
  if (implausibleTime('startedAt', reported, now) !== undefined) return run.startedAt;
  return moveRunStartEarlier(trx, { runId: run.id, reportSeq, startedAt: reported });
}

type BatchContext = {
  /** The report's number, what its executions name it by (docs/adr/0052). */
  reportSeq: number;
  /** The report's id, what its failures name it by. */
  reportId: string;
  run: RunRecord;
  /** Distinct tests of the report by final status, kept up to date batch by batch. */
  counts: StatusCounts;
  /** Test ids already written for this report: only those can need a merge. */
  written: BloomFilter;
  paths: TestPaths;
};

/**
 * Merges repeated identities into attempts when the repeat is a retry (`isRepeatARetry`), keys
 * the other repeats as further occurrences (` #2`), and writes a batch.
 */
async function writeBatch(
  store: Store,
  trx: Parameters<typeof writeExecutions>[1],
  context: BatchContext,
  reported: ReportedTest[],
): Promise<void> {
  if (reported.length === 0) return;
  const { run } = context;
  const tests = reported.map((test) => withRepoPaths(test, context.paths));
  // Each entry's status is settled once the batch is merged (below).
  const byId = new Map<string, ExecutedTest>();
  // Executions written by earlier batches of this report, read back only when the Bloom filter
  // says they may exist: the first occurrences at once, further ones (rare) one at a time.
  const stored = new Map<string, StoredExecution | null>();
  const firstKeys = tests.map((test) => testKey(test, run.variant));
  const firstIds = firstKeys.map((key) => testId(run.repo, key));
  const maybeWritten: string[] = [];
  for (const id of firstIds) {
    if (!context.written.has(id) || stored.has(id)) continue;
    stored.set(id, null);
    maybeWritten.push(id);
  }
  for (const execution of await findReportExecutions(store, trx, context.reportSeq, maybeWritten))
    stored.set(execution.testId, execution);
  // Only for ids the Bloom filter may have seen; the others are awaited nowhere (no promise per
  // test: a batch's thousand awaits were garbage of their own, docs/adr/0052).
  const storedExecution = async (id: string): Promise<StoredExecution | undefined> => {
    if (!stored.has(id)) {
      const [found] = await findReportExecutions(store, trx, context.reportSeq, [id]);
      stored.set(id, found ?? null);
    }
    return stored.get(id) ?? undefined;
  };
  const merged: StoredExecution[] = [];
  for (let index = 0; index < tests.length; index++) {
    const test = tests[index] as ReportedTest;
    for (let occurrence = 1; ; occurrence++) {
      const key =
        occurrence === 1 ? (firstKeys[index] as string) : testKey(test, run.variant, occurrence);
      const id = occurrence === 1 ? (firstIds[index] as string) : testId(run.repo, key);
      const seen = byId.get(id);
      if (seen) {
        if (!isRepeatARetry(seen.attempts, test)) continue;
        // A new array: an entry's first attempts are its test's own (not copied, below).
        seen.attempts = [...seen.attempts, ...test.attempts];
        break;
      }
      // A first occurrence may be written already only if the filter said so above (`stored`).
      const maybeEarlier = occurrence === 1 ? stored.has(id) : context.written.has(id);
      const earlier = maybeEarlier ? await storedExecution(id) : undefined;
      if (earlier) {
        if (!isRepeatARetry(earlier.attempts, test)) continue;
        merged.push(earlier);
        stored.delete(id);
        const attempts = [...earlier.attempts, ...test.attempts];
        byId.set(id, { id, key, test, attempts, status: 'passed' });
        break;
      }
      byId.set(id, { id, key, test, attempts: test.attempts, status: 'passed' });
      break;
    }
  }
  for (const earlier of merged) {
    context.counts[earlier.status]--;
    context.counts.tests--;
  }
  const executed: ExecutedTest[] = [];
  for (const entry of byId.values()) {
    const status = finalStatus(entry.attempts);
    entry.status = status;
    context.counts[status]++;
    context.counts.tests++;
    context.written.add(entry.id);
    executed.push(entry);
  }
  await upsertTests(store, trx, run, executed);
  const mergedIds = merged.map((stored) => stored.testId);
  await writeExecutions(store, trx, { reportSeq: context.reportSeq, run }, executed, mergedIds);
  await recordFailures(
    store,
    trx,
    {
      reportId: context.reportId,
      runId: run.id,
      commitSha: run.commitSha ?? null,
      at: run.startedAt,
    },
    executed,
    mergedIds,
  );
}

function rejected(
  path: string,
  format: ReportFormat | null,
  problems: ReadProblem[],
): IngestedFile {
  return {
    path,
    format,
    ...emptyCounts(),
    testCases: 0,
    duplicate: false,
    errors: problems.map((p) => ({
      message: p.message,
      line: p.line ?? null,
      column: p.column ?? null,
      ...(p.path !== undefined ? { path: p.path } : {}),
    })),
  };
}

/** Decodes the start of a report and settles its format; a read failure is CandorError `io`. */
async function openSource(
  source: ReportSource,
  format: ReportFormat | 'auto',
): ReturnType<typeof openReport> {
  try {
    return await openReport(source.open, format);
  } catch (error) {
    throw new CandorError('io', `cannot read the report: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function databaseError(error: unknown, path?: string): CandorError {
  if (error instanceof CandorError) return error;
  return new CandorError(
    'database',
    `storing ${path ?? 'the report'} failed: ${(error as Error).message}`,
    { cause: error },
  );
}
