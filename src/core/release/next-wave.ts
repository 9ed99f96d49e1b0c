import type { DeliveryEventType } from '../delivery/event-kinds.ts';
import type { ReleasePlan, ReleaseWave } from './release-plan.ts';

/** An event of the release's deployment (or an approval of it), as the ledger holds it. */
export type ReleaseEvent = {
  type: DeliveryEventType;
  environment: string | undefined;
  occurredAt: string;
  result: 'success' | 'failure' | undefined;
  attributes: Record<string, unknown> | undefined;
};

/**
 * Where a wave stands: `pending` (nothing deployed yet), `deploying` (some environments started,
 * not all finished), `baking` (all finished, bake time not over), `checking` (baked, a required
 * canary verdict missing), `done`, or `failed` (a canary failed, a rollback ran, a deployment
 * finished with failure in one of its environments).
 */
export type WaveStatus = 'pending' | 'deploying' | 'baking' | 'checking' | 'done' | 'failed';

export type WaveState = {
  name: string;
  environments: string[];
  status: WaveStatus;
  /** When the last environment of the wave finished deploying; null until all have. */
  deployedAt: string | null;
  /** When the bake ends; null until the wave is deployed. */
  bakeUntil: string | null;
  approval: { required: boolean; by: string | null; at: string | null };
  /** Why the wave is not done: one line per environment or check. */
  reasons: string[];
};

/** `go`: the wave may start now; `wait`: not yet (bake, approval, a deployment or verdict in progress); `stop`: a wave failed; `done`: every wave is. */
export type WaveDecision = 'go' | 'wait' | 'stop' | 'done';

export type NextWave = {
  decision: WaveDecision;
  /** The wave the decision is about (the one to start, to wait for, or that failed); null when done. */
  wave: string | null;
  environments: string[];
  reason: string;
  /** When waiting only on bake time: when it ends. */
  until: string | null;
  waves: WaveState[];
};

const deployTypes: ReadonlySet<DeliveryEventType> = new Set([
  'deploy_started',
  'canary_started',
  'deploy_finished',
  'canary_promoted',
]);

function failureOf(event: ReleaseEvent): string | undefined {
  if (event.type === 'canary_failed') return 'the canary failed';
  if (event.type === 'rollback_triggered') return 'a rollback was triggered';
  if (event.type === 'deploy_finished' && event.result === 'failure')
    return 'the deployment finished with failure';
  return undefined;
}

/** Who approved: `attributes.by` when it is text. */
function byOf(attributes: Record<string, unknown> | undefined): string {
  const by = attributes?.['by'];
  return typeof by === 'string' ? by : 'unknown';
}

function waveState(wave: ReleaseWave, events: readonly ReleaseEvent[], now: number): WaveState {
  const reasons: string[] = [];
  let failed = false;
  let started = 0;
  let finishedAt = -Infinity;
  let finished = 0;
  let unchecked: string[] = [];
  for (const environment of wave.environments) {
    const own = events.filter((e) => e.environment === environment);
    const failure = own.find((e) => failureOf(e) !== undefined);
    if (failure) {
      failed = true;
      reasons.push(`${environment}: ${failureOf(failure)} at ${failure.occurredAt}`);
      continue;
    }
    if (own.some((e) => deployTypes.has(e.type))) started++;
    const done = own
      .filter(
        (e) =>
          e.type === 'canary_promoted' || (e.type === 'deploy_finished' && e.result !== 'failure'),
      )
      .map((e) => Date.parse(e.occurredAt));
    if (done.length > 0) {
      finished++;
      finishedAt = Math.max(finishedAt, Math.min(...done));
    } else if (own.some((e) => deployTypes.has(e.type))) reasons.push(`${environment}: deploying`);
    else reasons.push(`${environment}: not deployed`);
    if (wave.requires.includes('canary') && !own.some((e) => e.type === 'canary_promoted'))
      unchecked.push(environment);
  }
  const approvals = events
    .filter((e) => e.type === 'release_approved' && e.attributes?.['wave'] === wave.name)
    .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  const approval = {
    required: wave.approval,
    by: approvals[0] ? byOf(approvals[0].attributes) : null,
    at: approvals[0]?.occurredAt ?? null,
  };
  const all = finished === wave.environments.length;
  const deployedAt = all ? new Date(finishedAt).toISOString() : null;
  const bakeEnd = all ? finishedAt + (wave.bake ?? 0) : NaN;
  const bakeUntil = all ? new Date(bakeEnd).toISOString() : null;
  if (!all) unchecked = unchecked.filter((e) => !reasons.some((r) => r.startsWith(`${e}:`)));
  const status: WaveStatus = failed
    ? 'failed'
    : started === 0
      ? 'pending'
      : !all
        ? 'deploying'
        : now < bakeEnd
          ? 'baking'
          : unchecked.length > 0
            ? 'checking'
            : 'done';
  if (status === 'baking') reasons.push(`baking until ${bakeUntil}`);
  if (status === 'checking') reasons.push(...unchecked.map((e) => `${e}: no canary_promoted yet`));
  return {
    name: wave.name,
    environments: [...wave.environments],
    status,
    deployedAt,
    bakeUntil,
    approval,
    reasons,
  };
}

/**
 * Which wave of a serial release may go now, from the events of one deployment (the release's
 * id, carried by each region's events with its environment) and its approvals. A failure in any
 * wave stops the release; otherwise the first wave that is not done decides: pending → go (or
 * wait for its approval, when it needs one), deploying/baking/checking → wait. candor deploys
 * nothing: the pipeline deploys the wave and asks again. Pure; `now` is passed in.
 */
export function nextWave(
  plan: ReleasePlan,
  events: readonly ReleaseEvent[],
  now: string,
): NextWave {
  const at = Date.parse(now);
  const waves = plan.waves.map((wave) => waveState(wave, events, at));
  const result = (
    decision: WaveDecision,
    wave: WaveState | null,
    reason: string,
    until: string | null = null,
  ): NextWave => ({
    decision,
    wave: wave?.name ?? null,
    environments: wave?.environments ?? [],
    reason,
    until,
    waves,
  });
  const failed = waves.find((w) => w.status === 'failed');
  if (failed)
    return result('stop', failed, `wave ${failed.name} failed: ${failed.reasons.join('; ')}`);
  const current = waves.find((w) => w.status !== 'done');
  if (!current) return result('done', null, `all ${waves.length} waves are done`);
  const index = waves.indexOf(current);
  switch (current.status) {
    case 'pending': {
      if (current.approval.required && current.approval.at === null)
        return result(
          'wait',
          current,
          `wave ${current.name} needs an approval: candor release approve --wave ${current.name}`,
        );
      const after = index === 0 ? '' : ` (wave ${waves[index - 1]!.name} is done)`;
      return result(
        'go',
        current,
        `deploy wave ${current.name}: ${current.environments.join(', ')}${after}`,
      );
    }
    case 'baking':
      return result(
        'wait',
        current,
        `wave ${current.name} is baking until ${current.bakeUntil}`,
        current.bakeUntil,
      );
    case 'checking':
      return result(
        'wait',
        current,
        `wave ${current.name} waits for its canary verdict: ${current.reasons.join('; ')}`,
      );
    default:
      return result(
        'wait',
        current,
        `wave ${current.name} is deploying: ${current.reasons.join('; ')}`,
      );
  }
}
