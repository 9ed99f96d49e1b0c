import { toSeconds } from '../../lib/time.ts';
import type { Deployment } from './collect-deployments.ts';
import type { LedgerEvent } from './ledger-event.ts';

/**
 * Recovery and detection of failed deployments, in seconds (DEFINITIONS.md "failed deployment
 * recovery time", "time to detect"): detection is started → first failure signal; recovery is
 * first failure signal → restored, which is the first successful rollback at or after that
 * signal or the first resolution of a linked incident at or after it, whichever came first. A failure not restored
 * counts in `unrecovered` and in no duration. Never throws.
 */
export function measureRecovery(failed: readonly Deployment[]): {
  recoveries: number[];
  detections: number[];
  unrecovered: number;
} {
  const recoveries: number[] = [];
  const detections: number[] = [];
  let unrecovered = 0;
  for (const d of failed) {
    const firstFailure = d.firstFailure;
    detections.push(toSeconds(firstFailure - d.startedAt));
    let restored = Infinity;
    for (const at of d.rollbacksOk ?? []) if (at >= firstFailure && at < restored) restored = at;
    for (const at of d.incidentsResolved ?? [])
      if (at !== null && at >= firstFailure && at < restored) restored = at;
    if (restored === Infinity) unrecovered++;
    else recoveries.push(toSeconds(restored - firstFailure));
  }
  return { recoveries, detections, unrecovered };
}

/**
 * Rollbacks of deployments (DEFINITIONS.md "rollback success rate"): triggered, and finished with
 * success, summed over `deployments`. Never throws.
 */
export function countRollbacks(deployments: readonly Deployment[]): {
  triggered: number;
  ok: number;
} {
  let triggered = 0;
  let ok = 0;
  for (const d of deployments) {
    triggered += d.rollbacksTriggered;
    ok += d.rollbacksOk?.length ?? 0;
  }
  return { triggered, ok };
}

/**
 * Every finished rollback of a service, in any environment and whether or not its deployment is
 * known: the lifetime counters of `/metrics`. Pure; never throws.
 */
export function createRollbackTally(): {
  add(event: LedgerEvent): void;
  readonly finished: { ok: number; failed: number };
} {
  const finished = { ok: 0, failed: 0 };
  return {
    add(event) {
      if (event.type !== 'rollback_finished') return;
      if (event.result === 'failure') finished.failed++;
      else finished.ok++;
    },
    finished,
  };
}
