// What a gate worker thread runs (its entry, gate-worker.ts, loads it; docs/adr/0045): it reads
// `workerData` (the condition's kind, its parsed options, the repository root), gathers through a
// context of files only, and posts the evidence (or the error) back, once.
import { parentPort, workerData } from 'node:worker_threads';
import { isCandorError } from '../../core/lib/candor-error.ts';
import { gatherIsolated, type GateWorkerData, type GatherReply } from './gather-isolated.ts';

const { request } = workerData as GateWorkerData;
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
