import type { Result } from '../core/lib/result.ts';
import type { ReportedTest } from '../core/tests/test-model.ts';
import type { ReadProblem, TestResultReader } from '../readers/test-results/test-result-reader.ts';

/** Test helper and tooling aid: reads a whole document given as text, in chunks of `chunkSize`. */
export async function readText(
  reader: TestResultReader,
  text: string,
  chunkSize = 64 * 1024,
): Promise<Result<ReportedTest[], ReadProblem>> {
  const tests: ReportedTest[] = [];
  async function* chunks(): AsyncIterable<string> {
    for (let i = 0; i < text.length; i += chunkSize) yield text.slice(i, i + chunkSize);
  }
  const result = await reader.read(chunks(), (batch) => {
    tests.push(...batch);
  });
  return result.ok ? { ok: true, value: tests } : result;
}
