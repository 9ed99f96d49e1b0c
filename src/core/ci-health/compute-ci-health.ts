import { compareText } from '../lib/compare-text.ts';
import { round } from '../lib/round.ts';
import { quantile } from '../lib/stats.ts';
import { minuteMs, toSeconds } from '../lib/time.ts';

/** One stored test run of the branch, as CI health sees it; times in epoch milliseconds. */
export type CiRun = {
  id: string;
  repo: string;
  commit: string | null;
  /** The CI job (`ci_job`): runs of different jobs are red or green on their own. */
  job: string | null;
  /** The CI attempt of that job on that commit (`ci_attempt`), as stored. */
  attempt: string | null;
  startedAt: number;
  /** Sum of the run's test durations (the known attempt durations of every test). */
  testDurationMs: number;
  /** Keys of the tests whose final status in the run is `failed` (a red run has at least one). */
  failingTests: readonly string[];
  /** Tests that passed on a retry inside the run (final status `flaky`). */
  retriedTests: number;
  /** Sum of the durations of those tests' failed attempts: time lost to in-run retries. */
  retriedTestMs: number;
};

/** A time the branch stayed red: from its first red run to the next run that made it green. */
export type RedEpisode = {
  start: string;
  /** The start of the green run that ended it; null while it is still open. */
  end: string | null;
  /** End (or `now`, when open) minus start. */
  durationSeconds: number;
  open: boolean;
  firstFailingRun: string;
  firstFailingCommit: string | null;
  /** The green run that ended it and its commit (null when open). */
  fixingRun: string | null;
  fixingCommit: string | null;
  /** The red runs of the episode. */
  redRuns: number;
  /** The tests that failed in any red run of the episode, sorted; at most 20 listed. */
  failingTests: string[];
  failingTestCount: number;
};

export type CiHealth = {
  runs: number;
  redRuns: number;
  red: {
    episodes: number;
    /** Over the closed episodes (open ones are listed, not measured). */
    p50Seconds: number | null;
    p90Seconds: number | null;
    /** The longest closed episodes, longest first. */
    worst: RedEpisode[];
    /** Episodes not yet ended by a green run ("red for 3 h and counting"), oldest first. */
    open: RedEpisode[];
  };
  retries: {
    /** Jobs (same repository, commit and CI job) that ran more than once. */
    rerunJobs: number;
    /** Runs beyond the first attempt of their job. */
    reruns: number;
    /** Re-run jobs whose first attempt was red and whose last was green. */
    passedOnRerun: number;
    /** The test time of the re-runs (sum of their test durations), in minutes. */
    rerunMinutes: number;
    /** Tests that passed on a retry inside a run. */
    retriedTests: number;
    /** The durations of those tests' failed attempts, in minutes. */
    retriedTestMinutes: number;
    totalMinutes: number;
  };
};

export type CiHealthOptions = {
  /** The end of the window: open episodes are measured up to it (epoch milliseconds). */
  now: number;
  /** How many of the worst episodes to list. Default 5. */
  worst?: number | undefined;
};

const listedTests = 20;

/**
 * The red episodes and retry cost of one branch's runs (DEFINITIONS.md "CI health"). Runs are
 * replayed in order of start, then id, so the order they were ingested in does not matter. A run
 * is red when a test's final status in it is `failed` (a test that passed on retry is not); each
 * CI job is red or green on its own, and the branch is red while any job is: an episode starts at
 * the first red run and ends at the start of the run that turns the last red job green. Durations
 * are summarised by the type 7 quantile, as DORA's (core/lib/stats.ts). Pure; never throws.
 */
export function computeCiHealth(runs: readonly CiRun[], options: CiHealthOptions): CiHealth {
  const sorted = [...runs].sort((a, b) => a.startedAt - b.startedAt || compareText(a.id, b.id));
  const episodes: RedEpisode[] = [];
  const redJobs = new Set<string>();
  let current: { start: number; run: CiRun; tests: Set<string>; redRuns: number } | undefined;
  for (const run of sorted) {
    const job = run.job ?? '';
    if (run.failingTests.length > 0) {
      redJobs.add(job);
      current ??= { start: run.startedAt, run, tests: new Set(), redRuns: 0 };
      current.redRuns++;
      for (const test of run.failingTests) current.tests.add(test);
      continue;
    }
    redJobs.delete(job);
    if (current !== undefined && redJobs.size === 0) {
      episodes.push(episodeOf(current, run, run.startedAt));
      current = undefined;
    }
  }
  const open =
    current === undefined
      ? []
      : [episodeOf(current, undefined, Math.max(options.now, current.start))];
  const closed = episodes.map((e) => e.durationSeconds).sort((a, b) => a - b);
  const worst = [...episodes]
    .sort((a, b) => b.durationSeconds - a.durationSeconds || compareText(a.start, b.start))
    .slice(0, options.worst ?? 5);
  return {
    runs: sorted.length,
    redRuns: sorted.filter((r) => r.failingTests.length > 0).length,
    red: {
      episodes: episodes.length + open.length,
      p50Seconds: closed.length === 0 ? null : round(quantile(closed, 0.5), 3),
      p90Seconds: closed.length === 0 ? null : round(quantile(closed, 0.9), 3),
      worst,
      open,
    },
    retries: summariseRetries(sorted),
  };
}

function episodeOf(
  current: { start: number; run: CiRun; tests: Set<string>; redRuns: number },
  fix: CiRun | undefined,
  end: number,
): RedEpisode {
  const tests = [...current.tests].sort(compareText);
  return {
    start: new Date(current.start).toISOString(),
    end: fix === undefined ? null : new Date(end).toISOString(),
    durationSeconds: round(toSeconds(end - current.start), 3),
    open: fix === undefined,
    firstFailingRun: current.run.id,
    firstFailingCommit: current.run.commit,
    fixingRun: fix?.id ?? null,
    fixingCommit: fix === undefined ? null : fix.commit,
    redRuns: current.redRuns,
    failingTests: tests.slice(0, listedTests),
    failingTestCount: tests.length,
  };
}

/** The attempt as a number when it is one (`2`), else undefined (then the start decides). */
function attemptNumber(run: CiRun): number | undefined {
  const n = run.attempt === null ? NaN : Number(run.attempt);
  return Number.isFinite(n) ? n : undefined;
}

function summariseRetries(sorted: readonly CiRun[]): CiHealth['retries'] {
  // Runs of one job on one commit: a run with a commit and a job only (else nothing groups it).
  const jobs = new Map<string, CiRun[]>();
  for (const run of sorted) {
    if (run.commit === null || run.job === null) continue;
    const key = JSON.stringify([run.repo, run.commit, run.job]);
    const list = jobs.get(key);
    if (list) list.push(run);
    else jobs.set(key, [run]);
  }
  let rerunJobs = 0;
  let reruns = 0;
  let passedOnRerun = 0;
  let rerunMs = 0;
  for (const attempts of jobs.values()) {
    if (attempts.length < 2) continue;
    attempts.sort(
      (a, b) =>
        (attemptNumber(a) ?? Infinity) - (attemptNumber(b) ?? Infinity) ||
        a.startedAt - b.startedAt ||
        compareText(a.id, b.id),
    );
    rerunJobs++;
    reruns += attempts.length - 1;
    for (const run of attempts.slice(1)) rerunMs += run.testDurationMs;
    const first = attempts[0] as CiRun;
    const last = attempts.at(-1) as CiRun;
    if (first.failingTests.length > 0 && last.failingTests.length === 0) passedOnRerun++;
  }
  let retriedTests = 0;
  let retriedTestMs = 0;
  for (const run of sorted) {
    retriedTests += run.retriedTests;
    retriedTestMs += run.retriedTestMs;
  }
  const rerunMinutes = round(rerunMs / minuteMs, 2);
  const retriedTestMinutes = round(retriedTestMs / minuteMs, 2);
  return {
    rerunJobs,
    reruns,
    passedOnRerun,
    rerunMinutes,
    retriedTests,
    retriedTestMinutes,
    totalMinutes: round((rerunMs + retriedTestMs) / minuteMs, 2),
  };
}
