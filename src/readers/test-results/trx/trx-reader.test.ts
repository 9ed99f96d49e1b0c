import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finalStatus } from '../../../core/tests/final-status.ts';
import type { ReportedTest } from '../../../core/tests/test-model.ts';
import { readText } from '../../../testing/read-text.ts';
import { runReaderConformance } from '../reader-conformance.ts';
import { detectFormat } from '../test-result-readers.ts';
import { parseTimeSpan, trxReader } from './trx-reader.ts';

const result = (i: number, name: string, outcome: string, body = '') =>
  `<UnitTestResult executionId="e${i}" testId="id${i}" testName="${name}" duration="00:00:00.${outcome === 'Failed' ? '5' : '25'}" outcome="${outcome}"${body === '' ? ' />' : `>\n${body}\n</UnitTestResult>`}`;
const definition = (i: number) =>
  `<UnitTest name="t${i}" storage="c.dll" id="id${i}"><TestMethod codeBase="c.dll" className="c" name="t${i}" /></UnitTest>`;
const run = (
  results: string,
  definitions: string,
  declaration = '<?xml version="1.0" encoding="utf-8"?>\n',
) =>
  `${declaration}<TestRun id="r" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">\n<Results>\n${results}\n</Results>\n<TestDefinitions>\n${definitions}\n</TestDefinitions>\n</TestRun>\n`;
const failing = (name: string) =>
  result(0, name, 'Failed', '<Output><ErrorInfo><Message>m</Message></ErrorInfo></Output>');

runReaderConformance({
  reader: trxReader,
  samples: {
    document: (count) =>
      run(
        Array.from({ length: count }, (_, i) =>
          i === 2
            ? result(i, `t${i}`, 'NotExecuted')
            : i % 2 === 1
              ? result(
                  i,
                  `t${i}`,
                  'Failed',
                  `<Output>\n<ErrorInfo>\n<Message>m${i}</Message>\n<StackTrace>trace\nline 2</StackTrace>\n</ErrorInfo>\n</Output>`,
                )
              : result(i, `t${i}`, 'Passed'),
        ).join('\n'),
        Array.from({ length: count }, (_, i) => definition(i)).join('\n'),
      ),
    named: (name) => run(failing(name), '', ''),
    declaring: (label, name) =>
      run(failing(name), '', `<?xml version="1.0" encoding="${label}"?>\n`),
  },
});

const producer = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/producers/${name}`, import.meta.url), 'utf8');

async function read(text: string): Promise<ReportedTest[]> {
  const read = await readText(trxReader, text, 1_009);
  if (!read.ok) throw new Error(`unexpected problems: ${JSON.stringify(read.errors)}`);
  return read.value;
}

const summary = (tests: ReportedTest[]) =>
  tests.map((t) => [t.classname, t.name, finalStatus(t.attempts)]);

describe('trxReader', () => {
  it('joins vstest results to the definitions written after them (xUnit through vstest)', async () => {
    const tests = await read(producer('dotnet-test-xunit.trx'));
    const calc = 'MyProject.Tests.CalculatorTests';
    expect(summary(tests)).toEqual([
      [calc, 'AddsPositiveNumbers', 'passed'],
      [calc, 'Adds(a: 1, b: 2, expected: 3)', 'passed'],
      [calc, 'Adds(a: -1, b: 1, expected: 0)', 'passed'],
      [calc, 'Adds(a: 2, b: 2, expected: 5)', 'failed'],
      [calc, 'AddsWrong', 'failed'],
      [calc, 'ParseThrows', 'failed'],
      [calc, 'Multiplies', 'skipped'],
      [calc, 'PrintsOutput', 'passed'],
      ['MyProject.Tests.StringsTests', 'TrimsWhitespace', 'passed'],
      ['MyProject.Tests.StringsTests', 'Reverses(input: "a<b>&c", expected: "c&>b<a")', 'passed'],
    ]);
    expect(tests[0]?.suitePath).toEqual(['MyProject.Tests.dll']);
    expect(tests[4]?.attempts).toEqual([
      {
        status: 'failed',
        failureKind: 'failure',
        durationMs: 1.121,
        message: 'two plus two <&> "five"\nExpected: True\nActual:   False',
        trace:
          'at MyProject.Tests.CalculatorTests.AddsWrong() in project/MyProject.Tests/CalculatorTests.cs:line 27',
        stdout: 'computing 2 + 2 <&>',
      },
    ]);
    expect(tests[6]?.attempts).toEqual([
      { status: 'skipped', durationMs: 0.001, message: 'not implemented yet' },
    ]);
    // Output of passing tests is not kept.
    expect(tests[7]?.attempts).toEqual([{ status: 'passed', durationMs: 0.776 }]);
  });

  it('reads the data rows of a data-driven result as the tests, and maps Timeout and Inconclusive', async () => {
    const tests = await read(producer('mstest-data-rows.trx'));
    const calc = 'MyProject.Tests.CalculatorTests';
    expect(summary(tests)).toEqual([
      [calc, 'Adds (1,2,3)', 'passed'],
      [calc, 'Adds (2,2,5)', 'failed'],
      [calc, 'TimesOut', 'failed'],
      [calc, 'NeedsANetwork', 'skipped'],
    ]);
    expect(tests[2]?.attempts[0]).toMatchObject({ failureKind: 'error', durationMs: 2_000.112 });
  });

  it('uses definitions written before the results as they come, and names tests without any', async () => {
    const before = `<TestRun><TestDefinitions>${definition(1)}</TestDefinitions><Results>${result(1, 'c.t1', 'Passed')}${result(2, 'Lonely', 'Passed')}</Results></TestRun>`;
    expect(summary(await read(before))).toEqual([
      ['c', 't1', 'passed'],
      [undefined, 'Lonely', 'passed'],
    ]);
  });

  it.each([
    ['00:00:00.0021340', 2.134],
    ['00:01:02.5', 62_500],
    ['1.02:00:00', 93_600_000],
    ['7.00:00:00.001', undefined],
    ['2.5', undefined],
    [undefined, undefined],
  ])('parses the TimeSpan %s as %s ms', (value, expected) => {
    expect(parseTimeSpan(value)).toBe(expected);
  });

  it('refuses an outcome the TRX schema does not have, with its position', async () => {
    const read = await readText(trxReader, '<TestRun>\n<Results>\n<UnitTestResult outcome="Meh"/>');
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.errors[0]).toMatchObject({
        line: 3,
        message: expect.stringMatching(/outcome "Meh" is not a TRX outcome/),
      });
    }
  });

  it('is detected by its root element, ahead of the JUnit catch-all', () => {
    expect(detectFormat(producer('dotnet-test-xunit.trx'))).toBe('trx');
  });
});
