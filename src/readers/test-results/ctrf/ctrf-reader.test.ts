import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ReportedTest } from '../../../core/tests/test-model.ts';
import { finalStatus } from '../../../core/tests/final-status.ts';
import { testKey } from '../../../core/tests/test-key.ts';
import { readText } from '../../../testing/read-text.ts';
import { runReaderConformance } from '../reader-conformance.ts';
import { ctrfReader } from './ctrf-reader.ts';

runReaderConformance({
  reader: ctrfReader,
  samples: {
    document: (count) =>
      JSON.stringify(
        {
          reportFormat: 'CTRF',
          specVersion: '1.0.0',
          results: {
            tool: { name: 'conformance' },
            tests: Array.from({ length: count }, (_, i) => ({
              name: `t${i}`,
              filePath: 'c',
              status: i === 2 ? 'skipped' : i % 2 === 1 ? 'failed' : 'passed',
              duration: i % 2 === 1 ? 500 : 250,
              ...(i % 2 === 1 ? { message: `m${i}`, trace: 'trace\nline 2' } : {}),
            })),
          },
        },
        null,
        2,
      ),
    named: (name) =>
      `{\n  "results": {\n    "tool": { "name": "conformance" },\n    "tests": [\n      { "name": "${name}", "status": "failed", "duration": 1, "message": "m" }\n    ]\n  }\n}\n`,
  },
  skip: [
    {
      reason: 'JSON declares no encoding: it is UTF-8 (RFC 8259), or UTF-16 told by a BOM',
      tests: [
        'decodes the encoding it declares',
        'refuses an unknown encoding label',
        'refuses bytes invalid in the declared encoding',
      ],
    },
  ],
});

/** A CTRF document with the given test objects (and anything else given at the root). */
const ctrf = (tests: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ results: { tool: { name: 'gen' }, tests }, ...extra }, null, 2);
const passing = (i: number) => ({ name: `t${i}`, status: 'passed', duration: 1 });

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/edge/${name}`, import.meta.url), 'utf8');

describe('ctrfReader', () => {
  it('maps retryAttempts to attempts before the final status', async () => {
    const result = await readText(ctrfReader, fixture('retries.json'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [flaky, broken, plain, pending, markedFlaky] = result.value;
    expect(flaky?.attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'passed']);
    expect(flaky?.attempts[0]?.message).toBe('Timeout 5000ms exceeded');
    expect(testKey(flaky!)).toBe('e2e/checkout.spec.ts::checkout > cards::pays');
    expect(flaky?.suitePath).toEqual(['checkout', 'cards']);
    expect(finalStatus(flaky!.attempts)).toBe('flaky');
    expect(finalStatus(broken!.attempts)).toBe('failed');
    expect(broken?.attempts.at(-1)?.trace).toContain('at pay');
    expect(finalStatus(plain!.attempts)).toBe('passed');
    expect(finalStatus(pending!.attempts)).toBe('skipped');
    expect(finalStatus(markedFlaky!.attempts)).toBe('flaky');
  });

  it('reads the older shape without reportFormat', async () => {
    const result = await readText(ctrfReader, fixture('legacy.json'));
    expect(result.ok && result.value.map((t) => [testKey(t), finalStatus(t.attempts)])).toEqual([
      ['src/sum.test.js::adds', 'passed'],
      ['suite a > b::no file', 'failed'],
    ]);
  });

  it('names the JSON path of an invalid field', async () => {
    const result = await readText(ctrfReader, fixture('invalid-status.json'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ path: 'results.tests[1].status' });
    expect(result.errors[0]?.message).toMatch(/^results\.tests\[1\]\.status: /);
  });

  it('gives line and column of a JSON syntax error', async () => {
    const result = await readText(
      ctrfReader,
      '{\n  "results": {\n    "tool": { "name": "x" },,\n  }\n}',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ line: 3 });
    expect(result.errors[0]?.message).toMatch(/^invalid JSON/);
  });

  it('rejects JSON that is not CTRF', async () => {
    const result = await readText(ctrfReader, '{"name": "package", "version": "1.0.0"}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.path).toBe('results');
  });

  it('hands tests to the sink in batches of 1,000 as they stream', async () => {
    const sizes: number[] = [];
    const result = await ctrfReader.read(
      (async function* () {
        yield ctrf(Array.from({ length: 2_500 }, (_, i) => passing(i)));
      })(),
      (batch) => {
        sizes.push(batch.length);
      },
    );
    expect(result).toEqual({ ok: true, value: { testCases: 2_500 } });
    expect(sizes).toEqual([1_000, 1_000, 500]);
  });

  it('ignores unknown properties at every level, before or after the tests', async () => {
    const text = JSON.stringify({
      environment: { deep: [[[{ a: 1 }]]], list: Array.from({ length: 100 }, (_, i) => i) },
      results: {
        environment: { os: 'linux' },
        tests: [{ ...passing(0), steps: [{ title: 's', nested: { x: [1] } }], tags: ['a'] }],
        tool: { name: 'x', version: '1', extra: { a: [] } },
        summary: { tests: 1, start: 1 },
      },
      trailer: null,
    });
    const result = await readText(ctrfReader, text, 5);
    expect(result.ok && result.value.map((t) => t.name)).toEqual(['t0']);
  });

  it.each([
    [
      'null',
      'null',
      { path: '', message: '(root): Invalid input: expected object, received null' },
    ],
    ['an array', '[1,2,3]', { path: '', message: expect.stringMatching(/received array$/) }],
    ['no results', '{"name": "x"}', { path: 'results' }],
    ['results not an object', '{"results": []}', { path: 'results' }],
    ['no tests', '{"results": {"tool": {"name": "x"}}}', { path: 'results.tests' }],
    [
      'tests not an array',
      '{"results": {"tool": {"name": "x"}, "tests": {"a": {"name": "t", "status": "passed", "duration": 1}}}}',
      { path: 'results.tests', message: expect.stringMatching(/expected array, received object$/) },
    ],
    ['no tool after the tests', '{"results": {"tests": []}}', { path: 'results.tool' }],
    [
      'results given twice',
      '{"results": {"tool": {"name": "x"}, "tests": []}, "results": {"tool": {"name": "x"}, "tests": []}}',
      { path: 'results', message: expect.stringMatching(/appears more than once/) },
    ],
    ['an empty document', ' \n ', { message: 'the document is empty', line: 1, column: 1 }],
    [
      'a truncated document',
      '{\n  "results": {\n    "tool": {"name": "x"},\n    "tests": [{"name": "a", "st',
      {
        message: expect.stringMatching(/^invalid JSON: the document ends too early/),
        line: 4,
        column: 32,
      },
    ],
    [
      'text after the document',
      '{"results": {"tool": {"name": "x"}, "tests": []}}\n]',
      { message: 'invalid JSON: unexpected "]" after the end of the document', line: 2, column: 1 },
    ],
    [
      'a control character in a string, after multi-byte characters',
      '{"results": {"tool": {"name": "x"}, "tests": [{"name": "é€\u0001"}]}}',
      { message: 'invalid JSON: unexpected "\\u0001"', line: 1, column: 59 },
    ],
  ])('refuses %s with its JSON path or line:column', async (_name, text, problem) => {
    const result = await readText(ctrfReader, text, 3);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject(problem);
  });

  it('names at most 20 schema problems, each with its JSON path', async () => {
    const tests = Array.from({ length: 50 }, (_, i) => ({ ...passing(i), status: 'green' }));
    const result = await readText(ctrfReader, ctrf(tests));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(20);
    expect(result.errors.map((e) => e.path)).toEqual(
      Array.from({ length: 20 }, (_, i) => `results.tests[${i}].status`),
    );
  });

  it('fails on an invalid test after thousands were handed on, and hands on no more', async () => {
    const tests: unknown[] = Array.from({ length: 3_000 }, (_, i) => passing(i));
    tests.push({ name: 'late', status: 'passed', duration: 'slow' }, passing(3_001));
    const handed: ReportedTest[] = [];
    const result = await ctrfReader.read(
      (async function* () {
        yield* ctrf(tests).match(/[^]{1,4096}/g) ?? [];
      })(),
      (batch) => {
        handed.push(...batch);
      },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.path).toBe('results.tests[3000].duration');
    expect(handed.length).toBeLessThanOrEqual(3_000);
    expect(handed.some((t) => t.name === 't3001')).toBe(false);
  });

  it('stores a duration beyond 7 days as unknown, as JUnit does with non-numbers', async () => {
    const result = await readText(
      ctrfReader,
      ctrf([
        { ...passing(0), duration: 1.2e29 },
        { ...passing(1), duration: 6 * 86_400_000 },
        {
          ...passing(2),
          retryAttempts: [{ attempt: 1, status: 'failed', duration: 1e20 }],
        },
      ]),
    );
    expect(result.ok && result.value.map((t) => t.attempts.map((a) => a.durationMs))).toEqual([
      [undefined],
      [6 * 86_400_000],
      [undefined, 1],
    ]);
  });

  it('keeps long names distinct: capped at 1 KiB with the digest of the full name', async () => {
    const shared = 'x'.repeat(4_000);
    const result = await readText(
      ctrfReader,
      ctrf([
        { ...passing(0), name: `${shared}a`, filePath: `${shared}/f.ts` },
        { ...passing(1), name: `${shared}b`, filePath: `${shared}/f.ts` },
      ]),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [a, b] = result.value;
    expect(a?.name).not.toBe(b?.name);
    expect(a?.file).toBe(b?.file);
    for (const value of [a?.name, b?.name, a?.file]) {
      expect(Buffer.byteLength(value ?? '')).toBeLessThanOrEqual(1_024);
      expect(value).toMatch(/^x+… \[4,?00\d characters, #[0-9a-f]{16}\]$/);
    }
  });

  it('reads NUL characters (a \\u0000 escape) as they are: the store decides how to keep them', async () => {
    const result = await readText(
      ctrfReader,
      ctrf([{ name: 'a\u0000b', status: 'failed', duration: 1, message: 'bad \u0000 byte' }]),
    );
    expect(result.ok && [result.value[0]?.name, result.value[0]?.attempts[0]?.message]).toEqual([
      'a\u0000b',
      'bad \u0000 byte',
    ]);
  });
});

describe('ctrfReader on huge input', () => {
  it('reads 150,000 tests in a child whose heap a whole-document parse would exceed', async () => {
    // The launcher's V8 flags (bin/candor.js), old space lowered from 256 to 24 MB: the ~25 MB
    // document (each test with unknown fields) as one string and JSON.parse's objects need
    // several times that; streaming needs a few MB. npm run bench reads 60 MB, 1.26M tests.
    const shebang = readFileSync(new URL('../../../../bin/candor.js', import.meta.url), 'utf8');
    const flags = (shebang.split('\n')[0] ?? '')
      .split(/\s+/)
      .filter((part) => part.startsWith('--'))
      .map((flag) => (flag.startsWith('--max-old-space-size=') ? '--max-old-space-size=24' : flag));
    expect(flags).toContain('--max-old-space-size=24');
    const child = `
      const { ctrfReader } = await import(process.argv[1]);
      const tests = Number(process.argv[2]);
      async function* document() {
        yield '{"results":{"tool":{"name":"gen","extra":{"a":[1]}},"tests":[';
        for (let i = 0; i < tests; i += 1000) {
          const parts = [];
          for (let j = i; j < Math.min(tests, i + 1000); j++)
            parts.push((j ? ',' : '') + '{"name":"test ' + j + ' does something","status":"' +
              (j % 50 ? 'passed' : 'failed') + '","duration":' + (j % 97) + ',"filePath":"f' +
              (j % 300) + '.ts","extra":{"tags":["a","b"],"steps":[{"title":"s"}]}}');
          yield parts.join('');
        }
        yield '],"summary":{"tests":' + tests + '}},"attachments":[';
        for (let i = 0; i < 100; i++) yield (i ? ',' : '') + Array.from({ length: 1000 }, (_, j) => '{"n":' + j + '}').join(',');
        yield ']}';
      }
      let handed = 0;
      const result = await ctrfReader.read(document(), (batch) => { handed += batch.length; });
      console.log(JSON.stringify({ result, handed }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        ...flags,
        '--input-type=module',
        '-e',
        child,
        new URL('./ctrf-reader.ts', import.meta.url).href,
        '150000',
      ],
      { timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      result: { ok: true, value: { testCases: 150_000 } },
      handed: 150_000,
    });
  });
});
