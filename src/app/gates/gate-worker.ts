// The entry of a worker thread that gathers one gate condition's evidence (docs/adr/0045). It
// turns Node's compile cache on when the thread that started it has it on (the published
// launcher does, docs/adr/0047; a worker thread does not inherit it), then loads the code that
// gathers: imported here, after the switch, so that code is compiled from the cache too.
import { enableCompileCache } from 'node:module';
import { workerData } from 'node:worker_threads';
import type { GateWorkerData } from './gather-isolated.ts';

if ((workerData as GateWorkerData).isCompileCacheOn) enableCompileCache();
await import('./gate-worker-gather.ts');
