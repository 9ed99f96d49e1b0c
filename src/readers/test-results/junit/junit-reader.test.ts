import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finalStatus } from '../../../core/tests/final-status.ts';
import { testKey } from '../../../core/tests/test-key.ts';
import type { ReportedTest } from '../../../core/tests/test-model.ts';
import { readText } from '../../../testing/read-text.ts';
import { runReaderConformance } from '../reader-conformance.ts';
import { junitReader, parseSeconds } from './junit-reader.ts';

runReaderConformance({
  reader: junitReader,
  samples: {
    document: (count) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="s">\n${Array.from(
        { length: count },
        (_, i) =>
          i === 2
            ? `<testcase classname="c" name="t${i}"><skipped/></testcase>`
            : i % 2 === 1
              ? `<testcase classname="c" name="t${i}" time="0.5">\n<failure message="m${i}">trace\nline 2</failure>\n</testcase>`
              : `<testcase classname="c" name="t${i}" time="0.25"/>`,
      ).join('\n')}\n</testsuite>\n</testsuites>\n`,
    named: (name) =>
      `<testsuite name="s">\n<testcase classname="c" name="${name}">\n<failure message="m"/>\n</testcase>\n</testsuite>\n`,
    declaring: (label, name) =>
      `<?xml version="1.0" encoding="${label}"?>\n<testsuite name="s">\n<testcase classname="c" name="${name}">\n<failure message="m"/>\n</testcase>\n</testsuite>\n`,
  },
});

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/edge/${name}`, import.meta.url), 'utf8');

async function read(name: string, chunkSize?: number): Promise<ReportedTest[]> {
  const result = await readText(junitReader, fixture(name), chunkSize);
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.errors)}`);
  return result.value;
}

const byName = (tests: ReportedTest[], name: string): ReportedTest => {
  const test = tests.find((t) => t.name === name);
  if (!test) throw new Error(`no test ${name}`);
  return test;
};

describe('junitReader', () => {
  it('counts <testcase> elements and ignores tests= attributes in nested suites', async () => {
    const tests = await read('nested-suites.xml');
    expect(tests.map((t) => testKey(t))).toEqual([
      'math.Add::adds',
      'outer > inner::subtracts',
      'math.Mul::multiplies',
    ]);
    expect(byName(tests, 'subtracts').suitePath).toEqual(['outer', 'inner']);
    expect(byName(tests, 'multiplies').attempts[0]?.durationMs).toBe(1_234_500);
  });

  it('maps Surefire flaky and rerun elements to attempts in order', async () => {
    const tests = await read('surefire-reruns.xml');
    const settles = byName(tests, 'settles');
    expect(settles.attempts.map((a) => [a.status, a.failureKind])).toEqual([
      ['failed', 'failure'],
      ['failed', 'error'],
      ['passed', undefined],
    ]);
    expect(settles.attempts[0]?.trace).toContain('PaymentTest.java:31');
    expect(settles.attempts[0]?.stdout).toBe('attempt 1 stdout');
    expect(settles.attempts[2]?.durationMs).toBe(500);
    expect(finalStatus(settles.attempts)).toBe('flaky');

    const refunds = byName(tests, 'refunds');
    expect(refunds.attempts.map((a) => a.failureKind)).toEqual(['failure', 'failure', 'error']);
    expect(refunds.attempts[0]?.message).toBe('expected 10 but was 9');
    expect(finalStatus(refunds.attempts)).toBe('failed');

    const crashes = byName(tests, 'crashes');
    expect(crashes.attempts).toHaveLength(1);
    expect(crashes.attempts[0]).toMatchObject({
      status: 'failed',
      failureKind: 'error',
      type: 'java.lang.IllegalStateException',
    });
    expect(crashes.attempts[0]?.trace).toContain('boom <not a tag>');
    expect(crashes.attempts[0]?.stdout).toBe('log line 1\nlog line 2');
    expect(finalStatus(byName(tests, 'authorises').attempts)).toBe('passed');
  });

  it('keeps repeated <testcase> elements as separate entries for the ingest to merge', async () => {
    const tests = await read('repeated-testcases.xml');
    expect(tests.filter((t) => t.name === 'TestFlaky')).toHaveLength(2);
    expect(tests.map((t) => t.attempts[0]?.status)).toEqual([
      'failed',
      'passed',
      'failed',
      'passed',
      'failed',
    ]);
  });

  it('reads TestNG retries as skipped attempts', async () => {
    const tests = await read('testng-retry.xml');
    expect(tests.map((t) => t.attempts[0]?.status)).toEqual([
      'skipped',
      'failed',
      'skipped',
      'passed',
    ]);
    expect(tests[2]?.attempts[0]?.message).toBe('retrying');
  });

  it('tolerates missing and non-numeric attributes', async () => {
    const tests = await read('attributes.xml');
    expect(tests.map((t) => testKey(t))).toEqual([
      'tests/a.spec.ts::no classname, file given',
      'no classname, no file',
      'empty classname',
      'X::disabled',
      'X::two failures',
      'X::skipped with message',
      'X::unicode ✓ & entities ☃',
    ]);
    expect(tests[0]).toMatchObject({ file: 'tests/a.spec.ts', line: 12 });
    expect(tests[0]?.attempts[0]?.durationMs).toBeUndefined();
    expect(tests[2]?.attempts[0]?.durationMs).toBeUndefined();
    expect(tests[3]?.attempts[0]?.status).toBe('skipped');
    expect(tests[4]?.attempts).toEqual([
      expect.objectContaining({
        status: 'failed',
        failureKind: 'error',
        message: 'first',
        durationMs: 500,
      }),
    ]);
    expect(tests[6]?.attempts[0]?.durationMs).toBe(1);
  });

  it.each([
    ['xxe.xml', /entity declarations are not allowed/, 5],
    ['billion-laughs.xml', /entity declarations are not allowed/, 8],
    ['undeclared-entity.xml', /undefined entity|nbsp/i, 2],
    ['truncated.xml', /unclosed|unexpected end|incomplete/i, 5],
    ['mismatched.xml', /unexpected close tag|mismatch/i, 4],
    ['not-junit.html', /not a JUnit XML report/, 1],
    ['foreign-root.xml', /expected a <testsuites> or <testsuite> root element, found <project>/, 2],
  ])('rejects %s with a message and a position', async (name, message, line) => {
    const result = await readText(junitReader, fixture(name));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toMatch(message);
    expect(result.errors[0]?.line).toBe(line);
    expect(result.errors[0]?.column).toBeGreaterThan(0);
  });

  it('never reads the file an external entity names', async () => {
    const result = await readText(junitReader, fixture('xxe.xml'));
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it('gives the same tests whatever the chunk boundaries', async () => {
    const whole = await read('surefire-reruns.xml');
    const tiny = await read('surefire-reruns.xml', 7);
    expect(tiny).toEqual(whole);
  });

  it('accepts a document whose suites hold no test cases', async () => {
    expect(await read('empty-suites.xml')).toEqual([]);
  });

  it('caps the suite path of 200,000 nested suites, saying how deep it was', async () => {
    const depth = 200_000;
    const xml = `${'<testsuite name="s">'.repeat(depth)}<testcase classname="c" name="deep"/>${'</testsuite>'.repeat(depth)}`;
    const result = await readText(junitReader, xml);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const suite = result.value[0]?.suitePath.join(' > ') ?? '';
    expect(Buffer.byteLength(suite)).toBeLessThanOrEqual(1_024);
    expect(suite).toMatch(/^s( > s){31}… \[200000 levels, 799997 characters, #[0-9a-f]{16}\]$/);
  });

  it('keeps truncated names distinct, even when they differ only where the parser buffer was cut', async () => {
    // 100,000-character names alike but for one character in the middle: saxes' buffer is cut
    // at 16 Ki characters between chunks, so only a digest taken as it is cut tells them apart.
    const name = (middle: string) => `${'a'.repeat(50_000)}${middle}${'z'.repeat(49_999)}`;
    const xml = `<testsuite>\n<testcase classname="c" name="${name('1')}"/>\n<testcase classname="c" name="${name('2')}"/>\n</testsuite>`;
    const names = async (chunkSize: number) => {
      const result = await readText(junitReader, xml, chunkSize);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.value.map((t) => t.name);
    };
    const [first, second] = await names(4_096);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^a+… \[100000 characters, #[0-9a-f]{16}\]$/);
    expect(Buffer.byteLength(first ?? '')).toBeLessThanOrEqual(1_024);
    // Whole in one chunk (nothing cut) or cut at other places: the same stored names.
    expect(await names(1_000_000)).toEqual([first, second]);
    expect(await names(10_007)).toEqual([first, second]);
  });

  it.each([
    ['0.5', 500],
    ['12', 12_000],
    ['1,234.5', 1_234_500],
    ['1e-3', 1],
    [' 2.25 ', 2_250],
    ['', undefined],
    ['abc', undefined],
    ['-1', undefined],
    ['NaN', undefined],
    ['<<computed>>', undefined],
    ['604800', 604_800_000],
    ['604800.001', undefined],
    ['1.2e26', undefined],
    [undefined, undefined],
  ])('parses time="%s" as %s ms', (value, expected) => {
    expect(parseSeconds(value)).toBe(expected);
  });
});

describe('junitReader on huge input', () => {
  it('keeps memory bounded and truncates a 200 MB <system-out>', async () => {
    async function* document(): AsyncIterable<string> {
      yield '<testsuite><testcase classname="c" name="loud"><failure message="m"/><system-out>';
      // A new flat string per chunk, as a file stream gives; a parser that keeps them all grows by 200 MB.
      for (let i = 0; i < 200; i++)
        yield Buffer.alloc(1024 * 1024, 97 + (i % 26)).toString('latin1');
      yield '</system-out></testcase></testsuite>';
    }
    const before = process.memoryUsage().rss;
    let peak = before;
    const tests: ReportedTest[] = [];
    const result = await junitReader.read(
      (async function* () {
        for await (const chunk of document()) {
          peak = Math.max(peak, process.memoryUsage().rss);
          yield chunk;
        }
      })(),
      (batch) => {
        tests.push(...batch);
      },
    );
    expect(result.ok).toBe(true);
    // Unbounded, the parser's pending text alone would add 200 MB or more.
    expect(peak - before).toBeLessThan(120 * 1024 * 1024);
    const stdout = tests[0]?.attempts[0]?.stdout ?? '';
    expect(stdout.length).toBeLessThan(10_000);
    expect(stdout).toMatch(/truncated \d+ characters/);
  });
});
