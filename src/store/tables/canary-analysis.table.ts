import type { JudgeMode } from '../../core/canary/canary-report.ts';

/** `canary_analyses`: one analysis of `candor serve`, its latest check and its end. */
export type CanaryAnalysisTable = {
  id: string;
  service: string;
  environment: string | null;
  deployment: string | null;
  /** JSON object of labels (`{"version":"stable"}`). */
  baseline: string;
  canary: string;
  mode: JudgeMode;
  /** ISO-8601 UTC. */
  started_at: string;
  checked_at: string | null;
  /** Set once, when the verdict became final. */
  finished_at: string | null;
  verdict: 'pending' | 'promote' | 'rollback' | 'inconclusive';
  /** JSON: the latest report (src/core/canary/canary-report.ts). */
  report: string | null;
};
