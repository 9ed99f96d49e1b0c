// Runs one ingest (or one baseline parse) in a fresh process and prints its time and peak RSS.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { ingestReport } from '../src/app/tests/ingest-report.ts';
import { fileSource } from '../src/app/tests/report-source.ts';
import { openStore } from '../src/store/open-store.ts';

const [mode, file, db] = process.argv.slice(2);
const started = performance.now();
let testCases = 0;
let error: string | undefined;
if (mode === 'candor') {
  const store = await openStore({ kind: 'sqlite', path: db ?? ':memory:' });
  const result = await ingestReport(store, {
    run: { id: 'bench', repo: 'bench', startedAt: new Date().toISOString() },
    source: await fileSource(file!),
    format: 'junit',
    allowEmpty: false,
    now: new Date().toISOString(),
  });
  testCases = result.testCases;
  error = result.errors[0]?.message;
  await store.close();
} else {
  try {
    const text = readFileSync(file!, 'utf8');
    const doc = new XMLParser({ ignoreAttributes: false, processEntities: false }).parse(text);
    testCases = JSON.stringify(doc).split('"@_classname"').length - 1;
  } catch (e) {
    error = (e as Error).message.slice(0, 120);
  }
}
const seconds = (performance.now() - started) / 1_000;
console.log(
  JSON.stringify({
    mode,
    testCases,
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    error,
  }),
);
