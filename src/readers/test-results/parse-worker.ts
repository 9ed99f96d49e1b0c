// The parse worker (docs/adr/0046): runs one test-result reader over text the main thread sends,
// and sends its tests back in batches, so parsing a large report overlaps storing it.
import { parentPort, workerData } from 'node:worker_threads';
import type { ReportedTest } from '../../core/tests/test-model.ts';
import type { FromParseWorker, ParseWorkerData, ToParseWorker } from './parse-worker-messages.ts';
import { testResultReaderLoaders } from './test-result-reader-loaders.ts';

const port = parentPort;
if (port === null) throw new Error('parse-worker.ts runs as a worker thread only');
const { format, batchSize, batchesAhead } = workerData as ParseWorkerData;
const send = (message: FromParseWorker) => port.postMessage(message);

const chunks: string[] = [];
let isEnded = false;
let credits = batchesAhead;
let onText: (() => void) | undefined;
let onCredit: (() => void) | undefined;
port.on('message', (message: ToParseWorker) => {
  switch (message.kind) {
    case 'text':
      chunks.push(message.text);
      onText?.();
      break;
    case 'end':
      isEnded = true;
      onText?.();
      break;
    case 'stored':
      credits++;
      onCredit?.();
      break;
  }
});

async function* text(): AsyncGenerator<string> {
  for (;;) {
    const chunk = chunks.shift();
    if (chunk !== undefined) {
      send({ kind: 'taken' });
      yield chunk;
    } else if (isEnded) {
      return;
    } else {
      await new Promise<void>((resolve) => (onText = resolve));
      onText = undefined;
    }
  }
}

let pending: ReportedTest[] = [];
/** Sends a batch once the main thread has stored enough of the earlier ones (backpressure). */
async function flush(): Promise<void> {
  while (credits === 0) {
    await new Promise<void>((resolve) => (onCredit = resolve));
    onCredit = undefined;
  }
  credits--;
  send({ kind: 'tests', tests: pending });
  pending = [];
}

// Only this report's reader is loaded in this thread.
const reader = await testResultReaderLoaders[format]();
const result = await reader.read(text(), async (tests) => {
  for (const test of tests) {
    pending.push(test);
    if (pending.length === batchSize) await flush();
  }
});
if (pending.length > 0) await flush();
send({ kind: 'done', result });
// The port stays open for messages; the main thread ends this worker once it has the result.
