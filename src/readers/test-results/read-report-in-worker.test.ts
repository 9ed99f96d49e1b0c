import { describe, expect, it } from 'vitest';
import type { ReportedTest } from '../../core/tests/test-model.ts';
import { openReport, readOpenedReport, type OpenedReport } from './open-report.ts';
import { parseWorkerUrl, readReportInWorker } from './read-report-in-worker.ts';
import type { ReportFormat } from './test-result-readers.ts';

const workerUrl = parseWorkerUrl as URL;

function junit(cases: number, options: { failEvery?: number; tail?: string } = {}): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'];
  for (let suite = 0; suite * 100 < cases; suite++) {
    parts.push(`<testsuite name="S${suite}" timestamp="2026-11-02T10:00:00">\n`);
    for (let i = suite * 100; i < Math.min(cases, (suite + 1) * 100); i++) {
      parts.push(
        options.failEvery !== undefined && i % options.failEvery === 0
          ? `<testcase classname="c.S${suite}" name="t${i}" time="0.5"><failure message="m${i}">trace\ttab</failure><system-out>out ${i}</system-out></testcase>\n`
          : `<testcase classname="c.S${suite}" name="t${i}" time="0.25"/>\n`,
      );
    }
    parts.push('</testsuite>\n');
  }
  return parts.join('') + (options.tail ?? '</testsuites>\n');
}

async function opened(bytes: Uint8Array, format: ReportFormat | 'auto' = 'auto') {
  const chunkSize = 16 * 1024;
  const result = await openReport(async function* () {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }, format);
  if (!result.ok) throw new Error('the sample does not open');
  return result.value;
}

/** Reads a report both ways: on this thread and in the worker, collecting the sink's calls. */
async function readBothWays(bytes: Uint8Array) {
  const read = async (
    how: (report: OpenedReport, sink: (t: ReportedTest[]) => void) => unknown,
  ) => {
    const calls: ReportedTest[][] = [];
    const result = await how(await opened(bytes), (tests) => void calls.push(tests));
    return { result, tests: calls.flat(), calls };
  };
  return {
    inline: await read((report, sink) => readOpenedReport(report, sink)),
    worker: await read((report, sink) => readReportInWorker(report, sink, workerUrl)),
  };
}

describe('readReportInWorker', () => {
  it('finds the worker module beside itself in a checkout', () => {
    expect(parseWorkerUrl?.pathname).toMatch(/parse-worker\.ts$/);
  });

  it('gives the sink the same tests in the same order, and the same summary, as reading here', async () => {
    const { inline, worker } = await readBothWays(Buffer.from(junit(3_250, { failEvery: 7 })));
    expect(worker.result).toEqual(inline.result);
    expect(worker.result).toMatchObject({
      ok: true,
      value: { testCases: 3_250, startedAt: '2026-11-02T10:00:00.000Z' },
    });
    expect(worker.tests).toEqual(inline.tests);
    // Whole batches of 1,000 (the ingest's flush size), the rest at the end.
    expect(worker.calls.map((c) => c.length)).toEqual([1_000, 1_000, 1_000, 250]);
  });

  it('reads a JSON format too (CTRF)', async () => {
    const ctrf = JSON.stringify({
      results: {
        tool: { name: 'jest' },
        summary: { tests: 2, start: 1_700_000_000_000 },
        tests: [
          { name: 'a', status: 'passed', duration: 3 },
          { name: 'b', status: 'failed', duration: 4, message: 'no' },
        ],
      },
    });
    const { inline, worker } = await readBothWays(Buffer.from(ctrf));
    expect(worker.result).toEqual(inline.result);
    expect(worker.tests).toEqual(inline.tests);
    expect(worker.tests.map((t) => t.name)).toEqual(['a', 'b']);
  });

  it('returns the same problem as reading here when the report breaks off', async () => {
    const { inline, worker } = await readBothWays(
      Buffer.from(junit(1_500, { tail: '<testsuite name="x"><testcase name="y">' })),
    );
    expect(inline.result).toMatchObject({ ok: false });
    expect(worker.result).toEqual(inline.result);
    expect(worker.tests).toEqual(inline.tests);
  });

  it('returns invalid bytes as a problem with their place, as reading here does', async () => {
    const bytes = Buffer.concat([
      Buffer.from(junit(2_000, { tail: '' })),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('</testsuites>'),
    ]);
    const { inline, worker } = await readBothWays(bytes);
    expect(inline.result).toMatchObject({ ok: false, errors: [{ line: expect.any(Number) }] });
    expect(worker.result).toEqual(inline.result);
  });

  it('throws what the sink throws, gives it nothing more, and never calls it twice at once', async () => {
    const report = await opened(Buffer.from(junit(9_000)));
    let calls = 0;
    let running = 0;
    let mostAtOnce = 0;
    const reading = readReportInWorker(
      report,
      async () => {
        calls++;
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (calls === 3) throw new Error('the store is gone');
      },
      workerUrl,
    );
    await expect(reading).rejects.toThrow('the store is gone');
    expect(calls).toBe(3);
    expect(mostAtOnce).toBe(1);
  });

  it('throws when the worker cannot run', async () => {
    const report = await opened(Buffer.from(junit(10)));
    const missing = new URL('./no-such-worker.ts', import.meta.url);
    await expect(readReportInWorker(report, () => undefined, missing)).rejects.toThrow();
  });
});
