import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seededRandom } from '../src/core/lib/seeded-random.ts';

/** Options for a generated JUnit report shaped like a large Java/TS monorepo's. */
export type GeneratedReport = {
  testCases: number;
  /** Characters of <system-out> on a failing case. */
  outputChars?: number;
  /** Characters of <system-out> on every other case (logs make real reports huge). */
  passingOutputChars?: number;
  seed?: number;
};

/** Yields a JUnit report in pieces: suites of 100 cases, ~2% failures with traces, some skips. */
export function* generateJunit(options: GeneratedReport): Generator<string> {
  const random = seededRandom(options.seed ?? 1);
  const logs = (chars: number) =>
    'log line with some detail about what happened\n'.repeat(Math.ceil(chars / 46));
  const output = logs(options.outputChars ?? 0);
  const passingOutput = options.passingOutputChars
    ? `<system-out><![CDATA[${logs(options.passingOutputChars)}]]></system-out>`
    : '';
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="generated">\n';
  for (let suite = 0; suite * 100 < options.testCases; suite++) {
    const parts = [
      `<testsuite name="com.example.module${suite % 50}.Suite${suite}" tests="100" time="3.2">\n`,
    ];
    for (let i = suite * 100; i < Math.min(options.testCases, (suite + 1) * 100); i++) {
      const time = (random() * 0.5).toFixed(3);
      const roll = random();
      const head = `  <testcase classname="com.example.module${suite % 50}.Suite${suite}" name="test_${i}_behaves_correctly" time="${time}"`;
      if (roll < 0.02) {
        parts.push(
          `${head}>\n    <failure message="expected &lt;${i}&gt; but was &lt;${i + 1}&gt;" type="AssertionError">at com.example.Suite${suite}.test_${i}(Suite${suite}.java:${i % 300})\n\tat org.junit.Runner.run(Runner.java:12)</failure>\n    <system-out><![CDATA[${output}]]></system-out>\n  </testcase>\n`,
        );
      } else if (roll < 0.03) {
        parts.push(`${head}><skipped message="disabled"/></testcase>\n`);
      } else {
        parts.push(passingOutput ? `${head}>${passingOutput}</testcase>\n` : `${head}/>\n`);
      }
    }
    parts.push('</testsuite>\n');
    yield parts.join('');
  }
  yield '</testsuites>\n';
}

/** Writes a generated report of at least `bytes` to a file; returns its test case count. */
export async function writeJunitOfSize(
  path: string,
  bytes: number,
  output: Pick<GeneratedReport, 'outputChars' | 'passingOutputChars'>,
): Promise<{ testCases: number; bytes: number }> {
  const out = createWriteStream(path);
  let written = 0;
  let testCases = 0;
  const perBatch = 10_000;
  for (let batch = 0; written < bytes; batch++) {
    for (const piece of generateJunit({ testCases: perBatch, ...output, seed: batch + 1 })) {
      // Only the first batch keeps the document head; later batches contribute their suites.
      if (piece.startsWith('<?xml') && batch > 0) continue;
      if (piece === '</testsuites>\n') continue;
      const renamed =
        batch === 0 ? piece : piece.replace(/Suite(\d+)/g, (_m, n: string) => `Suite${batch}_${n}`);
      written += Buffer.byteLength(renamed);
      if (!out.write(renamed)) await once(out, 'drain');
    }
    testCases += perBatch;
  }
  out.write('</testsuites>\n');
  out.end();
  await once(out, 'finish');
  return { testCases, bytes: written };
}
