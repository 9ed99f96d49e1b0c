import { CandorError } from '../../core/lib/candor-error.ts';
import { judgeRun } from '../../core/quarantine/judge-run.ts';
import type { QuarantineEntry } from '../../core/quarantine/quarantine.ts';
import type { Store } from '../../store/open-store.ts';
import {
  findRunReports,
  findRunTests,
  findRunToJudge,
} from '../../store/repositories/tests/run-verdict.repository.ts';
import { reportFormatIds } from '../tests/report-formats.ts';
import type { ReportsVerdict } from './judge-reports.ts';

/**
 * Judges a run already stored (`POST /api/v1/verdicts`, `candor verdict --server`) as `candor
 * verdict` judges its report files: the run by id, or the newest run of a commit; the entries
 * of the caller's quarantine file, active on `today`. The reports are the run's stored reports
 * (a stored report was readable, so none is unreadable). Throws CandorError `not-found` when no
 * stored run matches.
 */
export async function judgeStoredRun(
  store: Store,
  options: {
    run?: string | undefined;
    commit?: string | undefined;
    repo?: string | undefined;
    quarantine: readonly QuarantineEntry[];
    today: string;
  },
): Promise<ReportsVerdict & { run: string }> {
  const { run, commit } = options;
  const found =
    run !== undefined
      ? await findRunToJudge(store.db, { run })
      : commit !== undefined
        ? await findRunToJudge(store.db, { commit, repo: options.repo })
        : undefined;
  if (found === undefined)
    throw new CandorError(
      'not-found',
      run !== undefined
        ? `no stored run has the id "${run}"`
        : `no stored run has the commit "${commit ?? ''}"${options.repo === undefined ? '' : ` in ${options.repo}`}`,
    );
  const judged = judgeRun(
    await findRunTests(store.db, found.id),
    options.quarantine,
    options.today,
  );
  const reports = (await findRunReports(store.db, found.id)).map((r) => ({
    ...r,
    // The store keeps the reader's id as text (it imports no reader).
    format: reportFormatIds.find((id) => id === r.format) ?? null,
    errors: [],
  }));
  return {
    run: found.id,
    judged,
    outcome: judged.verdict,
    reports,
    unreadable: [],
    matched: reports.length,
  };
}
