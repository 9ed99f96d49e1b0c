import type { CandorConfig } from '../../config/candor-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { nextWave, type NextWave } from '../../core/release/next-wave.ts';
import type { ReleasePlan } from '../../core/release/release-plan.ts';
import { findDeliveryEvents } from '../../store/repositories/delivery/delivery-event.repository.ts';
import type { Store } from '../../store/open-store.ts';
import { recordEvents } from '../delivery/record-events.ts';

/** Where approvals say they come from. */
export const releaseEventSource = 'candor-release';

/** How far back the events of one release are read. */
const releaseHorizonMs = 90 * 86_400_000;

/**
 * The service's waves: `services.<name>.release`, else the top-level `release:`. Throws
 * CandorError `usage` when there is neither.
 */
export function releasePlanFor(config: CandorConfig, service: string): ReleasePlan {
  const plan = config.services?.[service]?.release ?? config.release;
  if (plan === undefined)
    throw new CandorError(
      'usage',
      `candor.yml has no release: waves (nor services.${service}.release): README "candor release"`,
    );
  return plan;
}

/**
 * Which wave of the deployment may go now (`candor release next`): the service's events that
 * carry the deployment id, and its approvals, from the last 90 days. Throws CandorError `usage`
 * or `database`.
 */
export async function decideNextWave(
  store: Store,
  config: CandorConfig,
  request: { service: string; deployment: string; now: Date },
): Promise<NextWave & { service: string; deployment: string }> {
  const plan = releasePlanFor(config, request.service);
  const events = await findDeliveryEvents(store.db, {
    from: new Date(request.now.getTime() - releaseHorizonMs).toISOString(),
    to: new Date(request.now.getTime() + 86_400_000).toISOString(),
    service: request.service,
  });
  const own = events
    .filter((e) => e.deployment === request.deployment)
    .map((e) => ({
      type: e.type,
      environment: e.environment,
      occurredAt: e.occurredAt,
      result: e.result,
      attributes: e.attributes,
    }));
  return {
    service: request.service,
    deployment: request.deployment,
    ...nextWave(plan, own, request.now.toISOString()),
  };
}

/**
 * Records that a person let a wave go (`release_approved`, idempotent per service, deployment
 * and wave: approving twice keeps the first). Throws CandorError `usage` for a wave the plan does
 * not have, or `database`.
 */
export async function approveWave(
  store: Store,
  config: CandorConfig,
  request: { service: string; deployment: string; wave: string; by: string; now: Date },
): Promise<{ recorded: boolean; id: string }> {
  const plan = releasePlanFor(config, request.service);
  if (!plan.waves.some((w) => w.name === request.wave))
    throw new CandorError(
      'usage',
      `no wave "${request.wave}" in the release plan of ${request.service} (waves: ${plan.waves.map((w) => w.name).join(', ')})`,
    );
  const id = `approve:${request.service}:${request.deployment}:${request.wave}`;
  const result = await recordEvents(
    store,
    [
      {
        value: {
          type: 'release_approved',
          source: releaseEventSource,
          id,
          service: request.service,
          deployment: request.deployment,
          occurredAt: request.now.toISOString(),
          attributes: { wave: request.wave, by: request.by },
        },
      },
    ],
    { receivedAt: request.now.toISOString(), atomic: true },
  );
  if (result.errors.length > 0)
    throw new CandorError('usage', result.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return { recorded: result.stored > 0, id };
}
