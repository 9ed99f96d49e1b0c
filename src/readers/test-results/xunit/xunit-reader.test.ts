import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finalStatus } from '../../../core/tests/final-status.ts';
import type { ReportedTest } from '../../../core/tests/test-model.ts';
import { readText } from '../../../testing/read-text.ts';
import { runReaderConformance } from '../reader-conformance.ts';
import { detectFormat } from '../test-result-readers.ts';
import { xunitReader } from './xunit-reader.ts';

const test = (name: string, result: string, body = '') =>
  `<test name="c.${name}" type="c" method="${name}" time="${result === 'Fail' ? '0.5' : '0.25'}" result="${result}"${body === '' ? ' />' : `>\n${body}\n</test>`}`;
const document = (tests: string, declaration = '<?xml version="1.0" encoding="utf-8"?>\n') =>
  `${declaration}<assemblies>\n<assembly name="bin/c.dll" total="1">\n<collection name="Test collection for c">\n${tests}\n</collection>\n</assembly>\n</assemblies>\n`;
/** A failing test whose name is written once, raw. */
const failing = (name: string) =>
  `<test name="${name}" type="c" result="Fail">\n<failure><message>m</message></failure>\n</test>`;

runReaderConformance({
  reader: xunitReader,
  samples: {
    document: (count) =>
      document(
        Array.from({ length: count }, (_, i) =>
          i === 2
            ? test(`t${i}`, 'Skip', '<reason><![CDATA[not yet]]></reason>')
            : i % 2 === 1
              ? test(
                  `t${i}`,
                  'Fail',
                  `<failure exception-type="Xunit.Sdk.EqualException">\n<message><![CDATA[m${i}]]></message>\n<stack-trace><![CDATA[trace\nline 2]]></stack-trace>\n</failure>`,
                )
              : test(`t${i}`, 'Pass'),
        ).join('\n'),
      ),
    named: (name) => document(failing(name), ''),
    declaring: (label, name) =>
      document(failing(name), `<?xml version="1.0" encoding="${label}"?>\n`),
  },
});

const producer = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/producers/${name}`, import.meta.url), 'utf8');

async function read(text: string): Promise<ReportedTest[]> {
  const result = await readText(xunitReader, text, 1_013);
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe('xunitReader', () => {
  it('reads the console runner -xml output: theories, skips, not run, errors outside tests', async () => {
    const tests = await read(producer('xunit-console.xml'));
    const calc = 'MyProject.Tests.CalculatorTests';
    expect(tests.map((t) => [t.classname, t.name, finalStatus(t.attempts)])).toEqual([
      [undefined, '(test-class-cleanup) MyProject.Tests.DatabaseTests', 'failed'],
      [calc, 'AddsPositiveNumbers', 'passed'],
      [calc, 'Adds(a: 1, b: 2, expected: 3)', 'passed'],
      [calc, 'Adds(a: -1, b: 1, expected: 0)', 'passed'],
      [calc, 'Adds(a: 2, b: 2, expected: 5)', 'failed'],
      [calc, 'AddsWrong', 'failed'],
      [calc, 'ParseThrows', 'failed'],
      [calc, 'Multiplies', 'skipped'],
      [calc, 'OnlyOnRequest', 'skipped'],
      [calc, 'PrintsOutput', 'passed'],
      ['MyProject.Tests.StringsTests', 'TrimsWhitespace', 'passed'],
      ['MyProject.Tests.StringsTests', 'Reverses(input: "a<b>&c", expected: "c&>b<a")', 'passed'],
    ]);
    expect(tests.every((t) => t.suitePath.join() === 'MyProject.Tests.dll')).toBe(true);
    expect(tests[0]?.attempts[0]).toMatchObject({
      failureKind: 'error',
      type: 'System.IO.IOException',
      message: 'System.IO.IOException : the database file is locked',
    });
    expect(tests[5]?.attempts).toEqual([
      {
        status: 'failed',
        failureKind: 'failure',
        type: 'Xunit.Sdk.TrueException',
        durationMs: 1.121,
        message: 'two plus two <&> "five"\nExpected: True\nActual:   False',
        trace:
          'at MyProject.Tests.CalculatorTests.AddsWrong() in project/MyProject.Tests/CalculatorTests.cs:line 27',
        stdout: 'computing 2 + 2 <&>',
      },
    ]);
    expect(tests[6]?.attempts[0]?.failureKind).toBe('error');
    expect(tests[7]?.attempts).toEqual([
      { status: 'skipped', durationMs: 0, message: 'not implemented yet' },
    ]);
    expect(tests[9]).toMatchObject({
      properties: { Category: 'Slow' },
      attempts: [{ status: 'passed', durationMs: 0.776 }],
    });
  });

  it.each([
    [
      '<assemblies><assembly><test name="a" result="Maybe"/></assembly></assemblies>',
      /result "Maybe" is not one of Pass, Fail, Skip, NotRun/,
    ],
    [
      '<assemblies>\n<test name="a" result="Pass">\n<test name="b" result="Pass"/>',
      /<test> inside <test>/,
    ],
  ])('refuses %j', async (text, message) => {
    const result = await readText(xunitReader, text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toMatch(message);
  });

  it('is detected by its root element, ahead of the JUnit catch-all', () => {
    expect(detectFormat(producer('xunit-console.xml'))).toBe('xunit');
  });
});
