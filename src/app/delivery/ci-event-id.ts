import { hash } from 'node:crypto';
import { detectCiRetryKey } from '../../ci/ci-environments.ts';
import type { Env } from '../../ci/ci-environment.ts';

/** The fields of an event that name what happened, apart from when (README "candor event"). */
export type CiEventFields = {
  type: string;
  service: string;
  environment?: string | undefined;
  commit?: string | undefined;
  deployment?: string | undefined;
  incident?: string | undefined;
  result?: string | undefined;
};

/**
 * The id of an event sent from a CI step without `--id`: a hash of what stays the same when the
 * step is retried (the provider, run and job: `detectCiRetryKey`) and of what the event says
 * (type, service, environment, commit, deployment, incident, result), so a retried step records
 * its events once while another run, job, result or service records its own. Not the time, nor
 * the attributes: they change from one attempt to the next. Undefined outside CI, or when the
 * provider's variables cannot tell the run (the event then keeps a hash of its whole content).
 * Never throws.
 */
export function ciEventId(event: CiEventFields, env: Env): string | undefined {
  const key = detectCiRetryKey(env);
  if (key === undefined) return undefined;
  const parts = [
    key,
    event.type,
    event.service,
    event.environment ?? null,
    event.commit ?? null,
    event.deployment ?? null,
    event.incident ?? null,
    event.result ?? null,
  ];
  return `ci:${hash('sha256', JSON.stringify(parts), 'hex').slice(0, 32)}`;
}
