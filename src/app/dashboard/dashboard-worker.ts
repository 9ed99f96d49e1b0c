// The entry of a read worker of the dashboard (docs/adr/0048): a thread of `candor serve` with a
// connection of its own to the store, which answers one heavy part of the page (`workerData.part`)
// while the server's thread and the other worker answer the rest. One request at a time, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { isCandorError } from '../../core/lib/candor-error.ts';
import { openStore } from '../../store/open-store.ts';
import type { DashboardPartQuery } from './build-dashboard.ts';
import {
  workerParts,
  type DashboardWorkerData,
  type DashboardWorkerReply,
  type DashboardWorkerRequest,
} from './dashboard-in-worker.ts';

const port = parentPort;
if (port === null) throw new Error('dashboard-worker.ts runs only as a worker thread');
const { location, part } = workerData as DashboardWorkerData;
const read = workerParts[part] as (
  store: Awaited<ReturnType<typeof openStore>>,
  query: DashboardPartQuery,
) => Promise<object>;
// The server's thread has migrated the store already.
const store = await openStore(location, { migrate: false });
let queue = Promise.resolve();
port.on('message', (request: DashboardWorkerRequest) => {
  queue = queue.then(async () => {
    if (request.kind === 'close') {
      await store.close();
      port.close();
      return;
    }
    let reply: DashboardWorkerReply;
    try {
      reply = {
        id: request.id,
        kind: 'value',
        value: (await read(store, request.query)) as never,
      };
    } catch (error) {
      reply = isCandorError(error)
        ? { id: request.id, kind: 'candor-error', code: error.code, message: error.message }
        : {
            id: request.id,
            kind: 'bug',
            message: error instanceof Error ? error.message : String(error),
            stack: error instanceof Error ? error.stack : undefined,
          };
    }
    port.postMessage(reply);
  });
});
