// Reads one CTRF report in a fresh process and prints its time and peak RSS (VmHWM):
// `candor` ingests it into SQLite, `reader` only parses it with candor's reader, `baseline`
// reads the whole file and JSON.parses it (what the CTRF reader did before it streamed).
import { readFileSync } from 'node:fs';
import { ingestReport } from '../src/app/tests/ingest-report.ts';
import { fileBytes, fileSource } from '../src/app/tests/report-source.ts';
import { openReport, readOpenedReport } from '../src/readers/test-results/open-report.ts';
import { openStore } from '../src/store/open-store.ts';

/** Peak resident set of this process (Linux VmHWM; getrusage's maxRSS elsewhere), in MB. */
function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

const [mode, file, db] = process.argv.slice(2);
const started = performance.now();
let testCases = 0;
let tests = 0;
let error: string | undefined;
if (mode === 'candor') {
  const store = await openStore({ kind: 'sqlite', path: db ?? ':memory:' });
  const result = await ingestReport(store, {
    run: { id: 'bench', repo: 'bench', startedAt: new Date().toISOString() },
    source: await fileSource(file!),
    format: 'auto',
    allowEmpty: false,
    now: new Date().toISOString(),
  });
  testCases = result.testCases;
  tests = result.tests;
  error = result.errors[0]?.message;
  await store.close();
} else if (mode === 'reader') {
  const opened = await openReport(fileBytes(file!), 'auto');
  if (!opened.ok) throw new Error(opened.errors[0]?.message);
  const result = await readOpenedReport(opened.value, (batch) => {
    tests += batch.length;
  });
  if (result.ok) testCases = result.value.testCases;
  else error = result.errors[0]?.message;
} else {
  const report = JSON.parse(readFileSync(file!, 'utf8')) as { results: { tests: unknown[] } };
  testCases = report.results.tests.length;
  tests = testCases;
}
console.log(
  JSON.stringify({
    mode,
    testCases,
    tests,
    seconds: (performance.now() - started) / 1_000,
    peakRssMb: peakRssMb(),
    error,
  }),
);
