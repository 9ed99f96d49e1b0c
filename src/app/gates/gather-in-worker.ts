import { getCompileCacheDir } from 'node:module';
import { availableParallelism } from 'node:os';
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

/** The worker started ahead (`prestartGateWorker`), until a gather takes it. */
let prestarted: Worker | undefined;

/**
 * Starts a gate worker thread before its request is known (docs/adr/0045, "Since 2026-12-03"):
 * `candor gate` calls this when argv names it, so the thread's start and its loading of the
 * isolated conditions' modules overlap this thread's loading of the gate's; the first
 * `gatherInWorker` then posts its request to it. Only with a second core (`parallelism`,
 * default `availableParallelism()`), one at a time. The thread is unref'd: a process that never
 * uses it does not wait for it; `releasePrestartedGateWorker` ends it. Returns it, or undefined
 * when none was started. Never throws.
 */
export function prestartGateWorker({
  parallelism = availableParallelism(),
  isCompileCacheOn = getCompileCacheDir() !== undefined,
}: { parallelism?: number; isCompileCacheOn?: boolean } = {}): Worker | undefined {
  if (prestarted !== undefined || parallelism < 2) return undefined;
  const workerData: GateWorkerData = { request: undefined, isCompileCacheOn };
  const worker = new Worker(workerUrl, { workerData });
  worker.unref();
  prestarted = worker;
  // A worker that fails or ends before it is used is forgotten: the gather starts its own.
  const forget = () => {
    if (prestarted === worker) prestarted = undefined;
  };
  worker.once('error', forget);
  worker.once('exit', forget);
  return worker;
}

/** Ends the worker started ahead when no gather took it (a checklist with nothing apart). */
export function releasePrestartedGateWorker(): void {
  const worker = prestarted;
  prestarted = undefined;
  if (worker !== undefined) void worker.terminate();
}

/**
 * Gathers one condition's evidence in a worker thread (`gate-worker.ts`, docs/adr/0045), for a
 * condition that declares `isolatedEvidence`: the same evidence `gather` gives in this thread,
 * structured-cloned back. `signal` stops the worker (an error elsewhere: nothing waits for it).
 * The worker keeps Node's compile cache when this thread has it on (`isCompileCacheOn`, default:
 * whether it is; the published launcher turns it on, docs/adr/0047). Uses the worker started
 * ahead by `prestartGateWorker` when there is one, else starts one.
 * Rejects with the CandorError `gather` threw (same code and message), or an Error for a bug
 * (the worker's message and stack), a worker that exits without answering, or the abort.
 */
export function gatherInWorker(
  request: GatherRequest,
  signal?: AbortSignal,
  { isCompileCacheOn = getCompileCacheDir() !== undefined }: { isCompileCacheOn?: boolean } = {},
): Promise<Evidence<unknown>> {
  return new Promise((resolve, reject) => {
    const ahead = prestarted;
    prestarted = undefined;
    let worker: Worker;
    // threadId is −1 once a worker stopped, which may be before its 'exit' event has come.
    if (ahead === undefined || ahead.threadId === -1) {
      const workerData: GateWorkerData = { request, isCompileCacheOn };
      worker = new Worker(workerUrl, { workerData });
      worker.unref();
    } else {
      worker = ahead;
      worker.postMessage(request);
    }
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
