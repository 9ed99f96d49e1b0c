import type { Generated } from 'kysely';

/** `watches`: one post-deploy watch of `candor serve`, its latest evaluation and its lease. */
export type WatchTable = {
  id: string;
  service: string;
  environment: string;
  deployment: string;
  /** ISO-8601 UTC: the deploy, and when the window ends. */
  deployed_at: string;
  window_end: string;
  every_ms: number;
  created_at: string;
  checked_at: string | null;
  /** Set once, when the verdict became final (degraded, or the window ended). */
  finished_at: string | null;
  verdict: 'pending' | 'healthy' | 'degraded' | 'inconclusive';
  /** JSON: the latest report (src/core/watch/evaluate-watch.ts). */
  report: string | null;
  /** The replica evaluating it, until `lease_expires_at` (ISO); null: nobody. */
  lease_owner: string | null;
  lease_expires_at: string | null;
  /** How many evaluations were saved (migration 0009). */
  evaluations: Generated<number>;
};
