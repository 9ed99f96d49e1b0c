// What a gate worker thread runs (its entry, gate-worker.ts, loads it; docs/adr/0045): it takes
// the request (the condition's kind, its parsed options, the repository root) from `workerData`,
// or, when started ahead of it (`prestartGateWorker`), loads the isolated conditions' modules
// and takes it from its first message; gathers through a context of files only, and posts the
// evidence (or the error) back, once.
import { parentPort, workerData } from 'node:worker_threads';
import { isCandorError } from '../../core/lib/candor-error.ts';
import {
  gatherIsolated,
  isolatedConditionLoaders,
  type GateWorkerData,
  type GatherReply,
  type GatherRequest,
} from './gather-isolated.ts';

async function answer(request: GatherRequest): Promise<void> {
  let reply: GatherReply;
  try {
    reply = { kind: 'evidence', evidence: await gatherIsolated(request) };
  } catch (error) {
    reply = isCandorError(error)
      ? { kind: 'candor-error', code: error.code, message: error.message }
      : {
          kind: 'bug',
          message: error instanceof Error ? error.message : String(error),
          stack: error instanceof Error ? error.stack : undefined,
        };
  }
  parentPort?.postMessage(reply);
}

const { request } = workerData as GateWorkerData;
if (request !== undefined) await answer(request);
else {
  // Loaded while the starting thread loads its own modules; a module that fails to load fails
  // the same way when the request's gather loads it, and is answered then.
  await Promise.allSettled(Object.values(isolatedConditionLoaders).map((load) => load()));
  parentPort?.once('message', (next: GatherRequest) => void answer(next));
}
