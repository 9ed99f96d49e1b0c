import type { ChaosExperiment } from './chaos-experiment.ts';

/** What the metric source said about the error budget. */
export type BudgetReading =
  { kind: 'measured'; errorRatio: number } | { kind: 'unknown'; reason: string };

/** A ledger event as readiness reads it. */
export type ReadinessEvent = {
  type: string;
  occurredAt: string;
  service: string;
  environment: string;
  deployment?: string | undefined;
  incident?: string | undefined;
};

/** A change freeze (`chaos.freezes` in candor.yml): no experiment runs from `start` to `end`. */
export type FreezeWindow = {
  start: string;
  end: string;
  reason?: string | undefined;
  services?: readonly string[] | undefined;
};

export type ReadinessCheck = {
  check: 'error-budget' | 'incident' | 'release' | 'freeze';
  status: 'pass' | 'fail' | 'unknown';
  message: string;
};

/** `yes` (exit 0), `no` (exit 1), `unknown` (exit 3). */
export type ChaosReadiness = {
  experiment: string;
  service: string;
  answer: 'yes' | 'no' | 'unknown';
  /** The share of the error budget left, or null when it could not be read. */
  errorBudgetRemaining: number | null;
  checks: ReadinessCheck[];
};

/** The events that start and end a release (a deployment or canary in flight). */
const releaseStarts = new Set(['deploy_started', 'canary_started']);
const releaseEnds = new Set([
  'deploy_finished',
  'canary_failed',
  'rollback_finished',
  'canary_promoted',
]);

/**
 * The share of an SLO's error budget left after an error ratio: 1 − ratio ÷ (1 − objective),
 * at least 0 (SRE workbook, "Implementing SLOs"). Never throws.
 */
export function errorBudgetRemaining(errorRatio: number, objective: number): number {
  return Math.max(0, 1 - errorRatio / (1 - objective));
}

/**
 * May the experiment run now? `no` when the error budget left is below
 * `slo.requireErrorBudgetRemaining`, an incident on the service is open (opened, not resolved),
 * a release of the service is in progress in the experiment's environment (a deployment or canary
 * started, not finished), or a change freeze covers `now`; otherwise `unknown` when the budget
 * cannot be read; else `yes`. `events` are the service's ledger events, oldest first. Pure.
 */
export function decideChaosReadiness(input: {
  experiment: ChaosExperiment;
  budget: BudgetReading;
  events: readonly ReadinessEvent[];
  freezes: readonly FreezeWindow[];
  now: Date;
}): ChaosReadiness {
  const { experiment, now } = input;
  const checks: ReadinessCheck[] = [];
  let remaining: number | null = null;
  const required = experiment.slo.requireErrorBudgetRemaining;
  const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
  if (input.budget.kind === 'unknown')
    checks.push({
      check: 'error-budget',
      status: 'unknown',
      message: `the error budget of ${experiment.slo.name} is unknown: ${input.budget.reason}`,
    });
  else {
    remaining = errorBudgetRemaining(input.budget.errorRatio, experiment.slo.objective);
    checks.push(
      remaining >= required
        ? {
            check: 'error-budget',
            status: 'pass',
            message: `${pct(remaining)} of the ${experiment.slo.name} error budget remains (at least ${pct(required)} required)`,
          }
        : {
            check: 'error-budget',
            status: 'fail',
            message: `only ${pct(remaining)} of the ${experiment.slo.name} error budget remains (at least ${pct(required)} required)`,
          },
    );
  }

  const open = new Map<string, ReadinessEvent>();
  const inFlight = new Map<string, ReadinessEvent>();
  for (const e of input.events) {
    if (e.service !== experiment.service) continue;
    const incident = e.incident ?? e.deployment ?? e.occurredAt;
    if (e.type === 'incident_opened') open.set(incident, e);
    if (e.type === 'incident_resolved') {
      if (e.incident === undefined) open.clear();
      else open.delete(e.incident);
    }
    if (e.environment !== experiment.blastRadius.environment) continue;
    const deployment = e.deployment ?? '(latest)';
    if (releaseStarts.has(e.type)) inFlight.set(deployment, e);
    if (releaseEnds.has(e.type)) {
      if (e.deployment === undefined) inFlight.clear();
      else inFlight.delete(deployment);
    }
  }
  const firstOpen = [...open.values()][0];
  checks.push(
    firstOpen === undefined
      ? { check: 'incident', status: 'pass', message: `no open incident on ${experiment.service}` }
      : {
          check: 'incident',
          status: 'fail',
          message: `incident ${firstOpen.incident ?? '(unnamed)'} on ${experiment.service} is open since ${firstOpen.occurredAt}`,
        },
  );
  const release = [...inFlight.values()][0];
  checks.push(
    release === undefined
      ? {
          check: 'release',
          status: 'pass',
          message: `no release of ${experiment.service} in progress in ${experiment.blastRadius.environment}`,
        }
      : {
          check: 'release',
          status: 'fail',
          message: `a release of ${experiment.service} is in progress in ${experiment.blastRadius.environment} (${release.type} ${release.deployment ?? ''} at ${release.occurredAt})`,
        },
  );
  const at = now.getTime();
  const freeze = input.freezes.find(
    (f) =>
      Date.parse(f.start) <= at &&
      at < Date.parse(f.end) &&
      (f.services === undefined || f.services.includes(experiment.service)),
  );
  checks.push(
    freeze === undefined
      ? { check: 'freeze', status: 'pass', message: 'no change freeze now' }
      : {
          check: 'freeze',
          status: 'fail',
          message: `a change freeze runs until ${freeze.end}${freeze.reason ? ` (${freeze.reason})` : ''}`,
        },
  );
  const answer = checks.some((c) => c.status === 'fail')
    ? 'no'
    : checks.some((c) => c.status === 'unknown')
      ? 'unknown'
      : 'yes';
  return {
    experiment: experiment.id,
    service: experiment.service,
    answer,
    errorBudgetRemaining: remaining,
    checks,
  };
}
