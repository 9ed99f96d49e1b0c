import { getCompileCacheDir } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CandorError } from '../../core/lib/candor-error.ts';
import type { Evidence } from '../../gates/gate-condition.ts';
import type { GateWorkerData, GatherReply, GatherRequest } from './gather-isolated.ts';

// The bundle (scripts/build.ts) emits the worker's entry beside this module's chunk and names it
// here; from the sources it is the TypeScript file beside this one.
declare const CANDOR_GATE_WORKER_DEFINE: string | undefined;
const workerUrl = new URL(
  typeof CANDOR_GATE_WORKER_DEFINE === 'string' ? CANDOR_GATE_WORKER_DEFINE : './gate-worker.ts',
  import.meta.url,
);

/**
 * Gathers one condition's evidence in a worker thread (`gate-worker.ts`, docs/adr/0045), for a
 * condition that declares `isolatedEvidence`: the same evidence `gather` gives in this thread,
 * structured-cloned back. `signal` stops the worker (an error elsewhere: nothing waits for it).
 * The worker keeps Node's compile cache when this thread has it on (`isCompileCacheOn`, default:
 * whether it is; the published launcher turns it on, docs/adr/0047).
 * Rejects with the CandorError `gather` threw (same code and message), or an Error for a bug
 * (the worker's message and stack), a worker that exits without answering, or the abort.
 */
export function gatherInWorker(
  request: GatherRequest,
  signal?: AbortSignal,
  { isCompileCacheOn = getCompileCacheDir() !== undefined }: { isCompileCacheOn?: boolean } = {},
): Promise<Evidence<unknown>> {
  return new Promise((resolve, reject) => {
    const workerData: GateWorkerData = { request, isCompileCacheOn };
    const worker = new Worker(workerUrl, { workerData });
    worker.unref();
    let isAnswered = false;
    signal?.addEventListener(
      'abort',
      () => {
        if (isAnswered) return;
        isAnswered = true;
        void worker.terminate();
        reject(new Error(`gathering ${request.kind} in a worker thread: stopped`));
      },
      { once: true },
    );
    worker.once('message', (reply: GatherReply) => {
      isAnswered = true;
      if (reply.kind === 'evidence') resolve(reply.evidence);
      else if (reply.kind === 'candor-error') reject(new CandorError(reply.code, reply.message));
      else {
        const error = new Error(`gathering ${request.kind} in a worker thread: ${reply.message}`);
        if (reply.stack !== undefined) error.stack = reply.stack;
        reject(error);
      }
    });
    worker.once('error', (error: unknown) => {
      isAnswered = true;
      reject(error instanceof Error ? error : new Error(String(error)));
    });
    worker.once('exit', (code) => {
      if (!isAnswered)
        reject(
          new Error(`the worker gathering ${request.kind} exited (${code}) without an answer`),
        );
    });
  });
}
