import { hash } from 'node:crypto';
import type { ActionOutcome, ActionPurpose } from '../../actions/rollback-action.ts';
import {
  describeRollbackAction,
  rollbackActionOf,
  runRollbackAction,
  type RollbackActionConfig,
} from '../../actions/rollback-actions.ts';
import type { CandorConfig } from '../../config/candor-config.ts';
import type { DeliveryEvent } from '../../core/delivery/delivery-event.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { dayMs } from '../../core/lib/time.ts';
import { findDeliveryEvents } from '../../store/repositories/delivery/delivery-event.repository.ts';
import type { Store } from '../../store/open-store.ts';
import { recordEvents } from '../delivery/record-events.ts';

/** Where rollback and drill events say they come from (idempotency is on source and id). */
export const rollbackEventSource = 'candor-rollback';

export type RollbackRequest = {
  service: string;
  environment: string;
  purpose: ActionPurpose;
  deployment?: string | undefined;
  reason?: string | undefined;
  /** Print what would run; run and record nothing. */
  dryRun: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** The repository root: relative paths in actions start here. */
  cwd: string;
  now: () => Date;
  signal: AbortSignal;
  /**
   * Drills only (`--verify`): a check run after the action, before the drill is recorded; its
   * verdict and summary go into the drill event, and a `degraded` one makes the drill a failure.
   */
  verify?: (() => Promise<DrillVerification>) | undefined;
};

/** What `candor rollback drill --verify` found after the action: a watch check (`--once`). */
export type DrillVerification = {
  verdict: 'healthy' | 'degraded' | 'inconclusive';
  summary: string;
};

export type RollbackRun = {
  service: string;
  environment: string;
  purpose: ActionPurpose;
  action: RollbackActionConfig['kind'];
  deployment: string | null;
  /** True when nothing ran (`--dry-run`, or a `dry-run` action): nothing was recorded. */
  dryRun: boolean;
  plan: string[];
  /** Absent on a dry run. */
  outcome?: ActionOutcome & { durationMs: number; startedAt: string; finishedAt: string };
  /** The ledger events written (ids), in order. */
  recorded: { type: DeliveryEvent['type']; id: string }[];
  warnings: string[];
  /** A drill's `--verify` check, when it ran. */
  verification?: DrillVerification;
};

/** The action a service's rollback or drill runs, from candor.yml. Throws CandorError `usage`. */
export function actionFor(
  config: CandorConfig,
  service: string,
  purpose: ActionPurpose,
): RollbackActionConfig {
  const entry = config.services?.[service];
  const action = purpose === 'drill' ? (entry?.drill?.action ?? entry?.rollback) : entry?.rollback;
  if (action === undefined) {
    const known = Object.keys(config.services ?? {});
    throw new CandorError(
      'usage',
      `candor.yml has no services.${service}.rollback${purpose === 'drill' ? ' (or drill.action)' : ''}` +
        (known.length > 0
          ? `; services with a config: ${known.join(', ')}`
          : '; add a services: section (README "Rollback actions")'),
    );
  }
  return action;
}

/** The latest deployment of a service in an environment, from the ledger's last 90 days. */
async function latestDeployment(
  store: Store,
  service: string,
  environment: string,
  now: Date,
): Promise<string | undefined> {
  const events = await findDeliveryEvents(store.db, {
    from: new Date(now.getTime() - 90 * dayMs).toISOString(),
    to: new Date(now.getTime() + dayMs).toISOString(),
    service,
    types: ['deploy_started', 'canary_started', 'deploy_finished'],
  });
  return events.filter((e) => e.environment === environment && e.deployment !== undefined).at(-1)
    ?.deployment;
}

/** A digest of the output, so two runs' logs can be compared without storing them whole. */
const digest = (text: string) => `sha256:${hash('sha256', text, 'hex')}`;

/**
 * Runs a service's rollback (or drill) action once and records it: `rollback_triggered` before it
 * runs and `rollback_finished` after (a rollback), or one `rollback_drill` (a drill), each with the
 * action, the duration, the result, the message and the output's digest. Without a deployment
 * (rollbacks only), the latest deployment of the service in the environment is used, so CFR and
 * recovery time count the run. A dry run (flag or `dry-run` action) records nothing. An action
 * that fails is a recorded failure, not a throw. Throws CandorError `usage` (no action
 * configured, or one that cannot run here: a placeholder with no value, an unset secret
 * variable), before anything is recorded, or `database`.
 */
export async function runRollback(
  store: Store,
  config: CandorConfig,
  request: RollbackRequest,
): Promise<RollbackRun> {
  const action = actionFor(config, request.service, request.purpose);
  const warnings: string[] = [];
  let deployment = request.deployment;
  if (deployment === undefined && request.purpose === 'rollback' && !request.dryRun) {
    deployment = await latestDeployment(store, request.service, request.environment, request.now());
    if (deployment === undefined)
      warnings.push(
        `no deployment of ${request.service} in ${request.environment} in the ledger's last 90 days: the rollback is recorded without one and no deployment counts it (pass --deployment)`,
      );
  }
  const context = {
    values: {
      service: request.service,
      environment: request.environment,
      purpose: request.purpose,
      ...(deployment !== undefined ? { deployment } : {}),
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
    },
    env: request.env,
    cwd: request.cwd,
  };
  const plan = describeRollbackAction(action, context);
  const problems = plan.filter((line) => line.startsWith('error: '));
  if (problems.length > 0)
    throw new CandorError(
      'usage',
      `the ${request.purpose} action of ${request.service} cannot run: ${problems.map((p) => p.slice(7)).join('; ')}`,
    );
  const base = {
    service: request.service,
    environment: request.environment,
    purpose: request.purpose,
    action: action.kind,
    deployment: deployment ?? null,
    plan,
    warnings,
  };
  if (request.dryRun || rollbackActionOf(action).dryRun) {
    if (!request.dryRun)
      warnings.push(
        `the ${request.purpose} action of ${request.service} is dry-run: nothing ran and nothing was recorded`,
      );
    return { ...base, dryRun: true, recorded: [] };
  }

  const started = request.now();
  const id = `${request.purpose}:${request.service}:${request.environment}:${started.toISOString()}`;
  const common = {
    source: rollbackEventSource,
    service: request.service,
    environment: request.environment,
    ...(deployment !== undefined ? { deployment } : {}),
  };
  const recorded: RollbackRun['recorded'] = [];
  const write = async (event: DeliveryEvent & { id: string }) => {
    const result = await recordEvents(store, [{ value: event }], {
      receivedAt: request.now().toISOString(),
      atomic: true,
    });
    if (result.errors.length > 0)
      throw new CandorError(
        'usage',
        `cannot record ${event.type}: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      );
    recorded.push({ type: event.type, id: event.id });
  };
  if (request.purpose === 'rollback')
    await write({
      ...common,
      type: 'rollback_triggered',
      id: `${id}:triggered`,
      occurredAt: started.toISOString(),
      attributes: {
        action: action.kind,
        trigger: 'candor rollback',
        ...(request.reason !== undefined ? { reason: request.reason } : {}),
      },
    });
  const acted = await runRollbackAction(action, context, request.signal);
  const verification =
    request.purpose === 'drill' && request.verify !== undefined
      ? await request.verify()
      : undefined;
  const outcome =
    verification?.verdict === 'degraded' && acted.result === 'success'
      ? {
          ...acted,
          result: 'failure' as const,
          message: `${acted.message}; the watch check after it found the service degraded`,
        }
      : acted;
  const finished = request.now();
  const durationMs = Math.max(0, finished.getTime() - started.getTime());
  await write({
    ...common,
    type: request.purpose === 'rollback' ? 'rollback_finished' : 'rollback_drill',
    id: `${id}:${request.purpose === 'rollback' ? 'finished' : 'drill'}`,
    occurredAt: finished.toISOString(),
    result: outcome.result,
    attributes: {
      action: action.kind,
      durationMs,
      message: outcome.message.slice(0, 1000),
      outputDigest: digest(outcome.output),
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
      ...(verification !== undefined
        ? { verify: verification.verdict, verification: verification.summary.slice(0, 1000) }
        : {}),
    },
  });
  return {
    ...base,
    dryRun: false,
    ...(verification !== undefined ? { verification } : {}),
    outcome: {
      ...outcome,
      durationMs,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
    },
    recorded,
  };
}
