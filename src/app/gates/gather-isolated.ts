import type { CandorErrorCode } from '../../core/lib/candor-error.ts';
import type { Evidence, GateContext } from '../../gates/gate-condition.ts';
import type { AnyGateCondition } from '../../gates/gate-condition.ts';
import { createFileContext } from './create-file-context.ts';

/** What a worker thread is asked to gather: an entry's kind, its parsed options, the root. */
export type GatherRequest = { kind: string; options: unknown; root: string; now: string };

/**
 * A gate worker thread's `workerData`: the request (undefined: started ahead, the request comes
 * as its first message), and whether to turn Node's compile cache on.
 */
export type GateWorkerData = { request: GatherRequest | undefined; isCompileCacheOn: boolean };

/** What it answers: the evidence, or the error `gather` threw. */
export type GatherReply =
  | { kind: 'evidence'; evidence: Evidence<unknown> }
  | { kind: 'candor-error'; code: CandorErrorCode; message: string }
  | { kind: 'bug'; message: string; stack: string | undefined };

/**
 * The conditions that declare `isolatedEvidence`, each loaded on demand: a worker thread loads
 * the one it gathers, not the registry's every condition (sigstore, the test readers, …).
 * gather-isolated.test.ts checks that these are the registry's isolated conditions.
 */
export const isolatedConditionLoaders: Record<string, () => Promise<AnyGateCondition>> = {
  findings: async () =>
    (await import('../../gates/findings/findings-condition.ts')).findingsCondition,
};

const unavailable = (what: string) => () => {
  throw new Error(`${what} is not available to a condition gathered in a worker thread`);
};

/**
 * Gathers the evidence of a condition that declares `isolatedEvidence`, through a context of
 * the repository's files alone (what such a condition may use; anything else is a bug, thrown).
 * Throws what `gather` throws.
 */
export async function gatherIsolated(request: GatherRequest): Promise<Evidence<unknown>> {
  const load = Object.hasOwn(isolatedConditionLoaders, request.kind)
    ? isolatedConditionLoaders[request.kind]
    : undefined;
  if (load === undefined)
    throw new Error(`the ${request.kind} condition cannot be gathered in a worker thread`);
  const condition = await load();
  const context: GateContext = {
    ...createFileContext(request.root),
    now: new Date(request.now),
    service: undefined,
    deployment: undefined,
    commit: undefined,
    changes: unavailable('the merge-base diff'),
    ledgerEvents: unavailable('the ledger'),
    judgeTests: unavailable('the test verdict'),
  };
  return condition.gather(request.options, context);
}
