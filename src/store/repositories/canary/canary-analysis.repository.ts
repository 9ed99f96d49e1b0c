import type { CanaryReport, CanaryVerdict, JudgeMode } from '../../../core/canary/canary-report.ts';
import type { Db } from '../../tables/database.ts';
import type { CanaryAnalysisTable } from '../../tables/canary-analysis.table.ts';

/** A canary analysis as the app sees it. */
export type CanaryAnalysisRecord = {
  id: string;
  service: string;
  environment?: string | undefined;
  deployment?: string | undefined;
  baseline: Record<string, string>;
  canary: Record<string, string>;
  mode: JudgeMode;
  startedAt: string;
  checkedAt?: string | undefined;
  finishedAt?: string | undefined;
  verdict: CanaryVerdict | 'pending';
  report?: CanaryReport | undefined;
};

function fromRow(row: CanaryAnalysisTable): CanaryAnalysisRecord {
  return {
    id: row.id,
    service: row.service,
    ...(row.environment === null ? {} : { environment: row.environment }),
    ...(row.deployment === null ? {} : { deployment: row.deployment }),
    baseline: JSON.parse(row.baseline) as Record<string, string>,
    canary: JSON.parse(row.canary) as Record<string, string>,
    mode: row.mode,
    startedAt: row.started_at,
    ...(row.checked_at === null ? {} : { checkedAt: row.checked_at }),
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    verdict: row.verdict,
    ...(row.report === null ? {} : { report: JSON.parse(row.report) as CanaryReport }),
  };
}

/** Stores a new analysis (pending, never checked). */
export async function insertCanaryAnalysis(db: Db, record: CanaryAnalysisRecord): Promise<void> {
  await db
    .insertInto('canary_analyses')
    .values({
      id: record.id,
      service: record.service,
      environment: record.environment ?? null,
      deployment: record.deployment ?? null,
      baseline: JSON.stringify(record.baseline),
      canary: JSON.stringify(record.canary),
      mode: record.mode,
      started_at: record.startedAt,
      checked_at: null,
      finished_at: null,
      verdict: 'pending',
      report: null,
    })
    .execute();
}

/** The analysis with this id, or undefined. */
export async function findCanaryAnalysis(
  db: Db,
  id: string,
): Promise<CanaryAnalysisRecord | undefined> {
  const row = await db
    .selectFrom('canary_analyses')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** The latest started analysis of a service (in an environment, when given), or undefined. */
export async function findLatestCanaryAnalysis(
  db: Db,
  service: string,
  environment: string | undefined,
): Promise<CanaryAnalysisRecord | undefined> {
  let query = db.selectFrom('canary_analyses').selectAll().where('service', '=', service);
  if (environment !== undefined) query = query.where('environment', '=', environment);
  const row = await query
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** The latest analysis of a service's deployment (in an environment, when given), or undefined. */
export async function findCanaryAnalysisByDeployment(
  db: Db,
  service: string,
  environment: string | undefined,
  deployment: string,
): Promise<CanaryAnalysisRecord | undefined> {
  let query = db
    .selectFrom('canary_analyses')
    .selectAll()
    .where('service', '=', service)
    .where('deployment', '=', deployment);
  query =
    environment === undefined
      ? query.where('environment', 'is', null)
      : query.where('environment', '=', environment);
  const row = await query.orderBy('started_at', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/**
 * Saves a check of an analysis that is not finished: its verdict and report, and `finishedAt`
 * when the verdict is final. False when another replica finished it first (nothing written):
 * only one writer ends an analysis.
 */
export async function saveCanaryCheck(
  db: Db,
  id: string,
  check: {
    verdict: CanaryVerdict | 'pending';
    report: CanaryReport;
    checkedAt: string;
    finishedAt?: string | undefined;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('canary_analyses')
    .set({
      verdict: check.verdict,
      report: JSON.stringify(check.report),
      checked_at: check.checkedAt,
      finished_at: check.finishedAt ?? null,
    })
    .where('id', '=', id)
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The verdict of the latest finished analysis per service and environment. */
export async function listLatestCanaryVerdicts(
  db: Db,
): Promise<{ service: string; environment: string | undefined; verdict: CanaryVerdict }[]> {
  const rows = await db
    .selectFrom('canary_analyses')
    .select(['service', 'environment', 'verdict', 'finished_at', 'id'])
    .where('finished_at', 'is not', null)
    .orderBy('service')
    .orderBy('environment')
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const latest = new Map<
    string,
    { service: string; environment: string | undefined; verdict: CanaryVerdict }
  >();
  for (const row of rows) {
    const key = `${row.service}\0${row.environment ?? ''}`;
    if (!latest.has(key) && row.verdict !== 'pending')
      latest.set(key, {
        service: row.service,
        environment: row.environment ?? undefined,
        verdict: row.verdict,
      });
  }
  return [...latest.values()];
}
