/**
 * What each delivery event type means to the metrics (DEFINITIONS.md), in one table: a new event
 * type is one row here, and the event schema, the deployment replay and stage latency follow.
 *
 * - `stage`: the pipeline stage the event marks for stage latency, or null when it marks none.
 *   `canary_started` marks `deploy_started`: a canary start is the change's production
 *   deployment starting. A stage marked by a deployment event counts only in the production
 *   environment.
 * - `belongsToDeployment`: the event is about one deployment, placed by its deployment id (else
 *   its commit) in its environment; events that cannot be placed are ignored.
 * - `createsDeployment`: the deployment exists from the first such event; other events of a
 *   deployment that has not started are ignored. Implies `belongsToDeployment`. A
 *   `deploy_finished` with no start before it is a deployment that started when it finished
 *   (as Four Keys and DevLake count them, and as CDEvents `service.deployed` arrives).
 * - `failureSignal`: how the event fails its deployment: `always`, `on-failure-result` (only
 *   with `result: failure`), `linked-incident` (when linked to a deployment and opened within
 *   the incident window after it started), or null.
 *
 * Rows are in pipeline order, which is the order of `deliveryEventTypes` and of the stages.
 */
export const eventKinds = {
  commit_created: { stage: 'commit_created', ...notDeployment(), failureSignal: null },
  artifact_built: { stage: 'artifact_built', ...notDeployment(), failureSignal: null },
  tests_passed: { stage: 'tests_passed', ...notDeployment(), failureSignal: null },
  tests_failed: { stage: null, ...notDeployment(), failureSignal: null },
  security_scanned: { stage: 'security_scanned', ...notDeployment(), failureSignal: null },
  policy_passed: { stage: 'policy_passed', ...notDeployment(), failureSignal: null },
  policy_failed: { stage: null, ...notDeployment(), failureSignal: null },
  deploy_started: { stage: 'deploy_started', ...startsDeployment(), failureSignal: null },
  canary_started: { stage: 'deploy_started', ...startsDeployment(), failureSignal: null },
  canary_promoted: { stage: 'canary_promoted', ...inDeployment(), failureSignal: null },
  canary_failed: { stage: null, ...inDeployment(), failureSignal: 'always' },
  deploy_finished: { stage: null, ...startsDeployment(), failureSignal: 'on-failure-result' },
  /** A post-deploy watch of the deployment began (`candor watch`, `candor serve`; `attributes.watch`). */
  watch_started: { stage: null, ...inDeployment(), failureSignal: null },
  /**
   * The watch ended: `result` success (healthy through its window), failure (degraded), none
   * (inconclusive); `attributes.verdict`, `watch`, `evaluations`. Not a failure signal itself: a
   * degraded watch fails its deployment through the rollback it runs (docs/adr/0026).
   */
  watch_finished: { stage: null, ...inDeployment(), failureSignal: null },
  rollback_triggered: { stage: null, ...inDeployment(), failureSignal: 'always' },
  rollback_finished: { stage: null, ...inDeployment(), failureSignal: null },
  /** A rehearsal of the rollback against a non-production environment (`candor rollback drill`). */
  rollback_drill: { stage: null, ...notDeployment(), failureSignal: null },
  /** A person let a wave of a serial release go (`candor release approve`; `attributes.wave`, `by`). */
  release_approved: { stage: null, ...notDeployment(), failureSignal: null },
  incident_opened: { stage: null, ...notDeployment(), failureSignal: 'linked-incident' },
  incident_resolved: { stage: null, ...notDeployment(), failureSignal: null },
  /** A chaos game day was run (`candor chaos record`; `attributes.experiment`, rollback rehearsed). */
  game_day: { stage: null, ...notDeployment(), failureSignal: null },
} as const satisfies Record<string, EventKind>;

/** One row of `eventKinds`. */
export type EventKind = {
  stage: string | null;
  belongsToDeployment: boolean;
  createsDeployment: boolean;
  failureSignal: FailureSignal | null;
};

/** How an event fails the deployment it belongs to (see `eventKinds`). */
export type FailureSignal = 'always' | 'on-failure-result' | 'linked-incident';

function notDeployment() {
  return { belongsToDeployment: false, createsDeployment: false } as const;
}
function inDeployment() {
  return { belongsToDeployment: true, createsDeployment: false } as const;
}
function startsDeployment() {
  return { belongsToDeployment: true, createsDeployment: true } as const;
}

/** The delivery events candor records. */
export type DeliveryEventType = keyof typeof eventKinds;

/** The delivery event types, in pipeline order (the keys of `eventKinds`). */
export const deliveryEventTypes = Object.keys(eventKinds) as [
  DeliveryEventType,
  ...DeliveryEventType[],
];

/** A stage of a change through the pipeline, for stage latency. */
export type PipelineStage = NonNullable<(typeof eventKinds)[DeliveryEventType]['stage']>;

/** The stages in pipeline order: each event type that marks a stage of its own name. */
export const pipelineStages: readonly PipelineStage[] = deliveryEventTypes.filter(
  (type): type is PipelineStage => eventKinds[type].stage === type,
);

/** The event types that belong to a deployment. */
export const deploymentEventTypes: ReadonlySet<DeliveryEventType> = new Set(
  deliveryEventTypes.filter((type) => eventKinds[type].belongsToDeployment),
);

/** The result an event may carry (`deploy_finished`, `rollback_finished`, …). */
export const deliveryResults = ['success', 'failure'] as const;
export type DeliveryResult = (typeof deliveryResults)[number];
