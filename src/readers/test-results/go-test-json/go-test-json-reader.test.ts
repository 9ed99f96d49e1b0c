import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finalStatus } from '../../../core/tests/final-status.ts';
import type { ReportedTest } from '../../../core/tests/test-model.ts';
import { readText } from '../../../testing/read-text.ts';
import { runReaderConformance } from '../reader-conformance.ts';
import { detectFormat } from '../test-result-readers.ts';
import { goTestJsonReader } from './go-test-json-reader.ts';

/** The events `go test -json` writes for one test that ends with `action`. */
const events = (test: string, action: 'pass' | 'fail' | 'skip', output?: string): string[] => [
  JSON.stringify({ Time: '2026-01-01T00:00:00Z', Action: 'run', Package: 'c', Test: test }),
  JSON.stringify({ Action: 'output', Package: 'c', Test: test, Output: `=== RUN   ${test}\n` }),
  ...(output === undefined
    ? []
    : [JSON.stringify({ Action: 'output', Package: 'c', Test: test, Output: `${output}\n` })]),
  JSON.stringify({
    Action: action,
    Package: 'c',
    Test: test,
    Elapsed: action === 'fail' ? 0.5 : 0.25,
  }),
];

runReaderConformance({
  reader: goTestJsonReader,
  samples: {
    document: (count) =>
      `${Array.from({ length: count }, (_, i) =>
        i === 2
          ? events(`t${i}`, 'skip', 'skipped')
          : i % 2 === 1
            ? events(`t${i}`, 'fail', `m${i}`)
            : events(`t${i}`, 'pass'),
      )
        .flat()
        .join('\n')}\n${JSON.stringify({ Action: 'fail', Package: 'c', Elapsed: 1 })}\n`,
    named: (name) =>
      `{"Action":"run","Package":"c","Test":"${name}"}\n{"Action":"output","Package":"c","Test":"${name}","Output":"m\\n"}\n{"Action":"fail","Package":"c","Test":"${name}","Elapsed":0}\n`,
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

const producer = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/producers/${name}`, import.meta.url), 'utf8');

async function read(text: string): Promise<ReportedTest[]> {
  const result = await readText(goTestJsonReader, text, 1_000);
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.errors)}`);
  return result.value;
}

const summary = (tests: ReportedTest[]) =>
  tests.map((t) => [t.classname, t.name, finalStatus(t.attempts)]);

describe('goTestJsonReader', () => {
  it('reads real `go test -json` output: subtests, parallel subtests, skips, failures', async () => {
    const tests = await read(producer('go-test-json.json'));
    const calc = 'example.com/project/calc';
    expect(summary(tests)).toEqual([
      [calc, 'TestAddPositive', 'passed'],
      [calc, 'TestAddWrong', 'failed'],
      [calc, 'TestMultiplySkipped', 'skipped'],
      [calc, 'TestTable/zeros', 'passed'],
      [calc, 'TestTable/bad_expectation', 'failed'],
      [calc, 'TestTable/negatives', 'passed'],
      [calc, 'TestTable', 'failed'],
      [calc, 'TestLogs', 'passed'],
    ]);
    expect(tests[0]?.suitePath).toEqual([calc]);
    expect(tests[1]?.attempts[0]).toMatchObject({
      status: 'failed',
      failureKind: 'failure',
      message: 'calc_test.go:15: two plus two <&> "five": got 4',
    });
    expect(tests[1]?.attempts[0]?.trace).not.toMatch(/=== RUN|--- FAIL/);
    expect(tests[2]?.attempts[0]?.message).toBe('calc_test.go:20: not implemented yet');
    // Output of passing tests is not kept.
    expect(tests[7]?.attempts[0]).toEqual({ status: 'passed', durationMs: 0 });
  });

  it('hands on each run of a test (-count=2, gotestsum --rerun-fails) for the ingest to merge', async () => {
    for (const name of ['go-test-json-count2.json', 'gotestsum-rerun.json']) {
      const tests = await read(producer(name));
      const runs = (test: string) =>
        tests.filter((t) => t.name === test).map((t) => t.attempts[0]?.status);
      expect(runs('TestSometimes')).toEqual(['failed', 'passed']);
      expect(runs('TestAlwaysFails')).toEqual(
        name === 'gotestsum-rerun.json' ? ['failed', 'failed', 'failed'] : ['failed', 'failed'],
      );
    }
  });

  it('fails the test that was running when its package ended (a -timeout panic)', async () => {
    const tests = await read(producer('go-test-json-timeout.json'));
    expect(summary(tests)).toEqual([
      ['example.com/project/hang', 'TestQuick', 'passed'],
      ['example.com/project/hang', 'TestHangs', 'failed'],
    ]);
    expect(tests[1]?.attempts[0]).toMatchObject({
      failureKind: 'error',
      message: 'panic: test timed out after 2s',
    });
    expect(tests[1]?.attempts[0]?.trace).toContain('hang_test.go:12');
  });

  it('fails the tests still running when the stream ends (a killed job)', async () => {
    const text = '{"Action":"run","Package":"p","Test":"TestSlow"}\n';
    expect(await read(text)).toEqual([
      {
        name: 'TestSlow',
        classname: 'p',
        suitePath: ['p'],
        attempts: [{ status: 'failed', failureKind: 'error', message: 'the test did not finish' }],
      },
    ]);
  });

  it.each([
    ['{"Action":"run","Test":"a"}\nnot json\n', 2, 2, /invalid JSON, expected "null", found "o"/],
    ['{"Action":"run","Test":"a"}\n{"Action":"pass","Test":"a",}\n', 2, 29, /property name/],
    ['{"Action":"run","Test":"a"}\n{"Test":"a"}\n', 2, 1, /Action: /],
    ['{"Action":"pass","Test":"a","Elapsed":"1s"}\n', 1, 1, /Elapsed: /],
  ])('refuses %j at %i:%i', async (text, line, column, message) => {
    const result = await readText(goTestJsonReader, text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ message: expect.stringMatching(message), line, column }]);
  });

  it('is detected ahead of CTRF, which also starts with "{"', () => {
    expect(detectFormat(producer('go-test-json.json'))).toBe('go-test-json');
    expect(detectFormat('{"results":{"tests":[]}}')).toBe('ctrf');
  });
});
