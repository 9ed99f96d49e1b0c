import type { Result } from '../core/lib/result.ts';
import type { ReportedTest } from '../core/tests/test-model.ts';
import { openReport, readOpenedReport } from '../readers/test-results/open-report.ts';
import type { ReadProblem } from '../readers/test-results/test-result-reader.ts';
import type { ReportFormat } from '../readers/test-results/test-result-readers.ts';

/**
 * Test helper and tooling aid: decodes and reads a whole report given as bytes (in chunks of
 * `chunkSize`), as ingest and verdict do: encoding, format detection, reader.
 */
export async function readBytes(
  bytes: Uint8Array,
  options: { format?: ReportFormat | 'auto'; chunkSize?: number } = {},
): Promise<Result<ReportedTest[], ReadProblem> & { format: ReportFormat | undefined }> {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  async function* chunks(): AsyncIterable<Uint8Array> {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  const opened = await openReport(chunks, options.format ?? 'auto');
  if (!opened.ok) return opened;
  const tests: ReportedTest[] = [];
  const result = await readOpenedReport(opened.value, (batch) => {
    tests.push(...batch);
  });
  const format = opened.value.format;
  return result.ok ? { ok: true, value: tests, format } : { ...result, format };
}
