import { computeCiHealth, type CiHealth } from '../../core/ci-health/compute-ci-health.ts';
import { splitPeriods } from '../../core/delivery/dora/split-periods.ts';
import type { StageLatency } from '../../core/delivery/dora/stage-latency.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { hourMs } from '../../core/lib/time.ts';
import { findCiRuns } from '../../store/repositories/tests/ci-run.repository.ts';
import type { Store } from '../../store/open-store.ts';
import { buildDoraReport } from '../delivery/build-dora-report.ts';

/** What `candor ci-health` measures; `since` is a window back from `now` or a start time. */
export type CiHealthRequest = {
  now: Date;
  since: { windowMs: number } | { from: string };
  branch: string;
  repo?: string | undefined;
  service?: string | undefined;
  environment: string;
  worst: number;
};

/** One calendar week (Monday 00:00 UTC) of the window and its stage latency. */
export type WeeklyStageLatency = { from: string; to: string; stages: StageLatency[] };

/** The JSON of `candor ci-health --json` and `GET /api/v1/ci-health`. */
export type CiHealthReport = {
  branch: string;
  repo: string | null;
  window: { from: string; to: string };
} & CiHealth & {
    /** Per week, the ledger's stage latency (DEFINITIONS.md "stage latency", as `candor dora`). */
    stageLatency: WeeklyStageLatency[];
  };

/**
 * CI health of a branch (DEFINITIONS.md "CI health"): its red episodes and the time lost to
 * retries from the stored test runs started in the window, and the pipeline's stage latency per
 * week from the ledger, each week measured as `candor dora` measures a window (the same
 * `stageLatency`, not a second implementation). Throws CandorError `usage` when the window
 * starts after now, `database` as the store does.
 */
export async function buildCiHealth(
  store: Store,
  request: CiHealthRequest,
): Promise<CiHealthReport> {
  const to = request.now.getTime();
  const from =
    'windowMs' in request.since ? to - request.since.windowMs : Date.parse(request.since.from);
  if (from > to)
    throw new CandorError(
      'usage',
      `--since ${new Date(from).toISOString()} is after now (${request.now.toISOString()})`,
    );
  const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const runs = await findCiRuns(store.db, {
    branch: request.branch,
    from: window.from,
    to: window.to,
    repo: request.repo,
  });
  const health = computeCiHealth(runs, { now: to, worst: request.worst });
  const stageLatency: WeeklyStageLatency[] = [];
  for (const week of splitPeriods({ from, to }, 'week')) {
    const report = await buildDoraReport(store, {
      now: new Date(week.to),
      windowMs: week.to - week.from,
      environment: request.environment,
      incidentWindowMs: 24 * hourMs,
      service: request.service,
    });
    stageLatency.push({
      from: new Date(week.from).toISOString(),
      to: new Date(week.to).toISOString(),
      stages: report.stageLatency.filter((s) => s.count > 0),
    });
  }
  return {
    branch: request.branch,
    repo: request.repo ?? null,
    window,
    ...health,
    stageLatency,
  };
}
