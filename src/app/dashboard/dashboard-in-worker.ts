import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DashboardTestsPanel } from '../../contracts/dashboard.ts';
import { CandorError, type CandorErrorCode } from '../../core/lib/candor-error.ts';
import type { Store, StoreLocation } from '../../store/open-store.ts';
import { buildTestsPanel, type DashboardPartQuery } from './build-dashboard.ts';

/** What the worker starts with: where the store is. */
export type DashboardWorkerData = { location: StoreLocation };
/** A query as it crosses to the worker: plain data (no step timer). */
export type DashboardWorkerQuery = Omit<DashboardPartQuery, 'measure'>;
export type DashboardWorkerRequest =
  { kind: 'tests'; id: number; query: DashboardWorkerQuery } | { kind: 'close' };
export type DashboardWorkerReply =
  | { id: number; kind: 'ready' }
  | { id: number; kind: 'value'; value: DashboardTestsPanel }
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

/** How long `close` waits for the worker's running read before it stops the thread. */
const closeGraceMs = 5_000;

/** The test truth panel, answered by the read worker while it runs, else on this thread. */
export type DashboardReads = {
  readonly testsPanel: (query: DashboardPartQuery) => Promise<DashboardTestsPanel>;
  /** Whether a worker thread answers (false: every read runs on this thread). */
  readonly inWorker: boolean;
  close(): Promise<void>;
};

/**
 * The dashboard's read worker for `candor serve` (docs/adr/0048): a worker thread with its own
 * connection to `store`'s database answers the test truth panel, so the page's other parts are
 * read on this thread at the same time. None is started (every read stays here) when the machine
 * has one core, the store is an in-memory SQLite database (a second connection would see another
 * database), or the bundle has no worker module. When the worker fails (it could not open the
 * store, or it died), what it had not answered and every later read run on this thread. Answers and errors are those of `buildTestsPanel` here.
 */
export function startDashboardReads(store: Store): DashboardReads {
  const here: DashboardReads = {
    testsPanel: (query) => buildTestsPanel(store, query),
    inWorker: false,
    close: async () => {},
  };
  const location = store.location;
  const isMemory = location.kind === 'sqlite' && location.path === ':memory:';
  if (workerUrl === undefined || isMemory || availableParallelism() < 2) return here;

  const worker = new Worker(workerUrl, { workerData: { location } satisfies DashboardWorkerData });
  // The server's own handles keep the process alive; the worker must not keep it after close.
  worker.unref();
  const pending = new Map<
    number,
    {
      query: DashboardWorkerQuery;
      resolve: (v: DashboardTestsPanel) => void;
      reject: (e: unknown) => void;
    }
  >();
  let nextId = 1;
  let failure: Error | undefined;
  let closed: Promise<void> | undefined;
  // A worker that failed answers nothing more: what it had not answered is read here.
  const fail = (error: Error) => {
    failure ??= error;
    for (const { query, resolve, reject } of pending.values())
      buildTestsPanel(store, query).then(resolve, reject);
    pending.clear();
  };
  worker.on('message', (reply: DashboardWorkerReply) => {
    if (reply.kind === 'ready') return;
    const waiting = pending.get(reply.id);
    if (waiting === undefined) return;
    pending.delete(reply.id);
    if (reply.kind === 'value') waiting.resolve(reply.value);
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
    get inWorker() {
      return failure === undefined && closed === undefined;
    },
    testsPanel: (query) => {
      if (failure !== undefined || closed !== undefined) return buildTestsPanel(store, query);
      // A step timer is a function: it stays here (the worker's steps are not timed).
      const plain: DashboardWorkerQuery = { ...query };
      delete (plain as DashboardPartQuery).measure;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { query: plain, resolve, reject });
        worker.postMessage({ kind: 'tests', id, query: plain } satisfies DashboardWorkerRequest);
      });
    },
    close() {
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
