import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DashboardDeliveryPanels, DashboardTestsPanel } from '../../contracts/dashboard.ts';
import { CandorError, type CandorErrorCode } from '../../core/lib/candor-error.ts';
import type { Store, StoreLocation } from '../../store/open-store.ts';
import {
  buildDeliveryPanels,
  buildTestsPanel,
  type DashboardPartQuery,
} from './build-dashboard.ts';

/** The dashboard's parts a read worker answers: the two heavy reads of the page. */
export const workerParts = {
  tests: buildTestsPanel,
  delivery: buildDeliveryPanels,
} as const;
export type WorkerPart = keyof typeof workerParts;
type PartValue = { tests: DashboardTestsPanel; delivery: DashboardDeliveryPanels };

/** What a worker starts with: where the store is, and the part it answers. */
export type DashboardWorkerData = { location: StoreLocation; part: WorkerPart };
/** A query as it crosses to a worker: plain data (no step timer). */
export type DashboardWorkerQuery = Omit<DashboardPartQuery, 'measure'>;
export type DashboardWorkerRequest =
  { kind: 'read'; id: number; query: DashboardWorkerQuery } | { kind: 'close' };
export type DashboardWorkerReply =
  | { id: number; kind: 'value'; value: PartValue[WorkerPart] }
  | { id: number; kind: 'candor-error'; code: CandorErrorCode; message: string }
  | { id: number; kind: 'bug'; message: string; stack: string | undefined };

/**
 * Where the worker's module is: beside this one in a checkout (`.ts`, Node strips types), and
 * `dist/dashboard-worker.js` in the published bundle, one folder up from this module's chunk.
 */
const workerUrl: URL | undefined = [
  new URL('./dashboard-worker.ts', import.meta.url),
  new URL('./dashboard-worker.js', import.meta.url),
  new URL('../dashboard-worker.js', import.meta.url),
].find((url) => existsSync(url));

/** How long `close` waits for a worker's running read before it stops the thread. */
const closeGraceMs = 5_000;
/**
 * A worker's young generation (MiB). The launcher's 2 MiB semi-space bounds a CLI's memory on
 * huge reports; a read of many small rows spends most of its time collecting garbage in it.
 */
const youngGenerationMb = 48;

/** The page's heavy parts, each answered by its read worker while it runs, else on this thread. */
export type DashboardReads = {
  readonly testsPanel: (query: DashboardPartQuery) => Promise<DashboardTestsPanel>;
  readonly deliveryPanels: (query: DashboardPartQuery) => Promise<DashboardDeliveryPanels>;
  /** Whether worker threads answer (false: every read runs on this thread). */
  readonly inWorker: boolean;
  close(): Promise<void>;
};

/**
 * The dashboard's read workers for `candor serve` (docs/adr/0048): one worker thread per heavy
 * part of the page (the test truth panel; the keys, delivery and quality panels), each with its
 * own connection to `store`'s database, so the page's parts are read at the same time and the
 * server's thread stays free for other requests. None is started (every read stays here) when the
 * machine has one core, the store is an in-memory SQLite database (a second connection would see
 * another database), or the bundle has no worker module. When a worker fails (it could not open
 * the store, or it died), what it had not answered and every later read of its part run on this
 * thread. Answers and errors are those of `buildTestsPanel` and `buildDeliveryPanels` here.
 */
export function startDashboardReads(store: Store): DashboardReads {
  const location = store.location;
  const isMemory = location.kind === 'sqlite' && location.path === ':memory:';
  if (workerUrl === undefined || isMemory || availableParallelism() < 2)
    return {
      testsPanel: (query) => buildTestsPanel(store, query),
      deliveryPanels: (query) => buildDeliveryPanels(store, query),
      inWorker: false,
      close: async () => {},
    };
  const tests = startPartWorker(store, workerUrl, 'tests');
  const delivery = startPartWorker(store, workerUrl, 'delivery');
  return {
    testsPanel: tests.read,
    deliveryPanels: delivery.read,
    get inWorker() {
      return tests.isAlive() && delivery.isAlive();
    },
    close: async () => {
      await Promise.all([tests.close(), delivery.close()]);
    },
  };
}

/** One part's worker: its reads, in order, and this thread's read once it cannot answer. */
function startPartWorker<P extends WorkerPart>(
  store: Store,
  url: URL,
  part: P,
): {
  read: (query: DashboardPartQuery) => Promise<PartValue[P]>;
  isAlive: () => boolean;
  close: () => Promise<void>;
} {
  const here = (query: DashboardWorkerQuery) =>
    (workerParts[part] as (s: Store, q: DashboardPartQuery) => Promise<PartValue[P]>)(store, query);
  const worker = new Worker(url, {
    workerData: { location: store.location, part } satisfies DashboardWorkerData,
    resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb },
  });
  // The server's own handles keep the process alive; a worker must not keep it after close.
  worker.unref();
  type Pending = {
    query: DashboardWorkerQuery;
    resolve: (value: PartValue[P]) => void;
    reject: (error: unknown) => void;
  };
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | undefined;
  let closed: Promise<void> | undefined;
  // A worker that failed answers nothing more: what it had not answered is read here.
  const fail = (error: Error) => {
    failure ??= error;
    for (const { query, resolve, reject } of pending.values()) here(query).then(resolve, reject);
    pending.clear();
  };
  worker.on('message', (reply: DashboardWorkerReply) => {
    const waiting = pending.get(reply.id);
    if (waiting === undefined) return;
    pending.delete(reply.id);
    if (reply.kind === 'value') waiting.resolve(reply.value as PartValue[P]);
    else if (reply.kind === 'candor-error')
      waiting.reject(new CandorError(reply.code, reply.message));
    else {
      const error = new Error(`the dashboard's read worker: ${reply.message}`);
      if (reply.stack !== undefined) error.stack = reply.stack;
      waiting.reject(error);
    }
  });
  worker.on('error', (error: unknown) =>
    fail(error instanceof Error ? error : new Error(String(error))),
  );
  worker.on('exit', (code) => fail(new Error(`the dashboard's read worker exited (${code})`)));
  return {
    isAlive: () => failure === undefined && closed === undefined,
    read: (query) => {
      // A step timer is a function: it stays here (a worker's steps are not timed).
      const plain: DashboardWorkerQuery = { ...query };
      delete (plain as DashboardPartQuery).measure;
      if (failure !== undefined || closed !== undefined) return here(plain);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { query: plain, resolve, reject });
        worker.postMessage({ kind: 'read', id, query: plain } satisfies DashboardWorkerRequest);
      });
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        if (failure !== undefined) return resolve();
        // A read still running gets a few seconds to finish; then the thread is stopped.
        const stop = setTimeout(() => void worker.terminate(), closeGraceMs);
        worker.once('exit', () => {
          clearTimeout(stop);
          resolve();
        });
        worker.postMessage({ kind: 'close' } satisfies DashboardWorkerRequest);
      });
      return closed;
    },
  };
}
