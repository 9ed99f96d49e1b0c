import type { DeliveryResult } from '../../core/delivery/event-kinds.ts';

// The delivery projections (migration 0005, docs/adr/0018): derived from `delivery_events`.
// Times are epoch milliseconds (double precision).

/** `delivery_deployments`: one deployment's folded facts and its measure for `/metrics`. */
export type DeliveryDeploymentTable = {
  service: string;
  environment: string;
  deployment: string;
  /** When it started: `started_at`, else `finished_at` (indexed for inference). */
  start_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  finish_result: DeliveryResult | null;
  deployed_at: number | null;
  failed_at: number | null;
  rollbacks_triggered: number;
  /** JSON array of times, ascending. */
  rollbacks_ok: string;
  rollbacks_failed: number;
  commit_sha: string | null;
  /** JSON array of commit SHAs. */
  commits: string | null;
  commit_from: number | null;
  measured_result: DeliveryResult | null;
  /** 0 or 1. */
  measured_failed: number;
  measured_lead_seconds: number | null;
  measured_recovery_seconds: number | null;
};

/** `delivery_deployment_commits`: each commit a deployment carries (`commit` and `commits`). */
export type DeliveryDeploymentCommitTable = {
  service: string;
  commit_sha: string;
  environment: string;
  deployment: string;
};

/** `delivery_commits`: the first `commit_created` time of each commit of a service. */
export type DeliveryCommitTable = { service: string; commit_sha: string; committed_at: number };

/** `delivery_incidents`: one `incident_opened` and the production deployment it links to. */
export type DeliveryIncidentTable = {
  source: string;
  id: string;
  service: string;
  opened_at: number;
  incident: string | null;
  deployment: string | null;
  commit_sha: string | null;
  /** The linked production deployment; null while unlinked. */
  target: string | null;
  link: 'explicit' | 'inferred' | null;
};

/** `delivery_incident_resolutions`: the latest `incident_resolved` of each incident id. */
export type DeliveryIncidentResolutionTable = {
  service: string;
  incident: string;
  resolved_at: number;
};

/** `delivery_totals`: lifetime totals per service and environment, as `/metrics` shows them. */
export type DeliveryTotalTable = {
  service: string;
  environment: string;
  /** `deployments` (label: result), `change_failures` (label ''), `rollbacks` (label: result), `lead_time` and `recovery_time` (label: bucket index, or `sum`). */
  metric: string;
  label: string;
  value: number;
};
