// The DORA projections (migration 0010, docs/adr/0044): derived from `delivery_events`, rebuilt
// by `candor db rebuild`. Times are epoch milliseconds (double precision).

/** `dora_deployments`: one deployment as the replay records it, with its lead time and passes. */
export type DoraDeploymentTable = {
  service: string;
  /** The event's environment; an event that names none is in `production`. */
  environment: string;
  start_at: number;
  deployment: string;
  team: string | null;
  commit_sha: string | null;
  /** JSON array of commit SHAs. */
  commits: string | null;
  deployed_at: number | null;
  /** The first failure signal of its own events; null without one. */
  first_failure: number | null;
  rollbacks_triggered: number;
  /** JSON array of the times of successful rollbacks; null when none. */
  rollbacks_ok: string | null;
  rollbacks_ok_count: number;
  /** 0 or 1. */
  rework: number;
  /** Lead time in milliseconds; null when it has none. */
  lead_ms: number | null;
  /** The commit time after which its change starts (null: from the first commit). */
  lead_after: number | null;
  /** Its own commit's time, when its change is measured from the previous deployment. */
  lead_own: number | null;
  /** The commit of the previous deployment with another commit (its change's start). */
  previous_commit: string | null;
  /** 0 or 1: its commit passed policy at or before it started. */
  policy_passed: number;
  /** JSON array of the checklists that passed its commit at or before it started; null: none. */
  passed_checklists: string | null;
};

/** `dora_deployment_commits`: each commit a deployment carries (`commit` and `commits`). */
export type DoraDeploymentCommitTable = {
  service: string;
  environment: string;
  commit_sha: string;
  deployment: string;
};

/** `dora_gate_passes`: a deployment whose commit this checklist passed before it started. */
export type DoraGatePassTable = {
  service: string;
  environment: string;
  checklist: string;
  start_at: number;
  deployment: string;
};

/** `dora_checklists`: the checklists of a service's `policy_passed` events. */
export type DoraChecklistTable = { service: string; checklist: string };

/** `dora_policy_failures`: every `policy_failed` with a commit. */
export type DoraPolicyFailureTable = {
  source: string;
  id: string;
  service: string;
  checklist: string;
  commit_sha: string;
  failed_at: number;
  /** JSON array of the failing conditions. */
  failing: string;
};

/** `dora_stage_spans`: the time between two consecutive stages of a change. */
export type DoraStageSpanTable = {
  service: string;
  /** The environment of the later stage's deployment; '' when neither stage is a deployment's. */
  environment: string;
  /** Indexes into `pipelineStages`. */
  from_stage: number;
  to_stage: number;
  end_at: number;
  commit_sha: string;
  span_ms: number;
};

/** `candor_projection_state`: whether a projection holds the whole ledger (1) or waits (0). */
export type ProjectionStateTable = { name: string; ready: number };

/** `dora_daily_deployments`: per UTC day (ms of its midnight), the sums of its deployments. */
export type DoraDailyDeploymentTable = {
  service: string;
  environment: string;
  day: number;
  deployments: number;
  rework: number;
  rollbacks_triggered: number;
  rollbacks_ok: number;
  policy_passed: number;
  /** JSON object: checklist → deployments it passed. */
  passes: string;
  /** The lead times (seconds) of the day's deployments, sorted, float64 little-endian. */
  leads: Uint8Array;
};

/** `dora_daily_spans`: per UTC day of the later stage, the sorted spans (seconds) of a pair of stages. */
export type DoraDailySpanTable = {
  service: string;
  environment: string;
  from_stage: number;
  to_stage: number;
  day: number;
  spans: Uint8Array;
};
