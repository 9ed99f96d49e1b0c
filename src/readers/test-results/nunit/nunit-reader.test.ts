import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finalStatus } from '../../../core/tests/final-status.ts';
import type { ReportedTest } from '../../../core/tests/test-model.ts';
import { readText } from '../../../testing/read-text.ts';
import { runReaderConformance } from '../reader-conformance.ts';
import { detectFormat } from '../test-result-readers.ts';
import { nunitReader } from './nunit-reader.ts';

const testCase = (name: string, result: string, body = '') =>
  `<test-case id="1" name="${name}" fullname="c.${name}" methodname="${name}" classname="c" result="${result}" duration="${result === 'Failed' ? '0.5' : '0.25'}"${body === '' ? ' />' : `>\n${body}\n</test-case>`}`;
/** A failing case whose name is written once, raw. */
const failing = (name: string) =>
  `<test-case name="${name}" classname="c" result="Failed">\n<failure><message>m</message></failure>\n</test-case>`;
const run = (cases: string, declaration = '<?xml version="1.0" encoding="utf-8"?>\n') =>
  `${declaration}<test-run id="0" result="Failed">\n<test-suite type="Assembly" name="c.dll">\n<test-suite type="TestFixture" name="c" classname="c">\n${cases}\n</test-suite>\n</test-suite>\n</test-run>\n`;

runReaderConformance({
  reader: nunitReader,
  samples: {
    document: (count) =>
      run(
        Array.from({ length: count }, (_, i) =>
          i === 2
            ? testCase(`t${i}`, 'Skipped', '<reason><message>not yet</message></reason>')
            : i % 2 === 1
              ? testCase(
                  `t${i}`,
                  'Failed',
                  `<failure>\n<message><![CDATA[m${i}]]></message>\n<stack-trace>trace\nline 2</stack-trace>\n</failure>`,
                )
              : testCase(`t${i}`, 'Passed'),
        ).join('\n'),
      ),
    named: (name) => run(failing(name), ''),
    declaring: (label, name) => run(failing(name), `<?xml version="1.0" encoding="${label}"?>\n`),
  },
});

const producer = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/producers/${name}`, import.meta.url), 'utf8');

async function read(text: string): Promise<ReportedTest[]> {
  const result = await readText(nunitReader, text, 997);
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe('nunitReader', () => {
  it('reads nunit3-console output: fixtures, parameterised cases, labels, reasons, output', async () => {
    const tests = await read(producer('nunit3-console.xml'));
    expect(tests.map((t) => [t.classname, t.name, finalStatus(t.attempts)])).toEqual([
      ['MyProject.Tests.CalculatorTests', 'AddsPositiveNumbers', 'passed'],
      ['MyProject.Tests.CalculatorTests', 'Adds(1,2,3)', 'passed'],
      ['MyProject.Tests.CalculatorTests', 'Adds(-1,1,0)', 'passed'],
      ['MyProject.Tests.CalculatorTests', 'Adds(2,2,5)', 'failed'],
      ['MyProject.Tests.CalculatorTests', 'AddsWrong', 'failed'],
      ['MyProject.Tests.CalculatorTests', 'ParseThrows', 'failed'],
      ['MyProject.Tests.CalculatorTests', 'RetriedUntilItPasses', 'passed'],
      ['MyProject.Tests.CalculatorTests', 'NeedsANetwork', 'skipped'],
      ['MyProject.Tests.CalculatorTests', 'WarnsAboutRounding', 'passed'],
      ['MyProject.Tests.StringsTests', 'TrimsWhitespace', 'passed'],
      ['MyProject.Tests.StringsTests', 'Reverses("a<b>&c","c&>b<a")', 'passed'],
      ['MyProject.Tests.StringsTests', 'Multiplies', 'skipped'],
    ]);
    expect(tests[3]?.suitePath).toEqual([
      'MyProject.Tests.dll',
      'MyProject',
      'Tests',
      'CalculatorTests',
      'Adds',
    ]);
    expect(tests[4]?.attempts).toEqual([
      {
        status: 'failed',
        failureKind: 'failure',
        durationMs: 2.922,
        message: 'two plus two <&> "five"\n  Expected: 5\n  But was:  4',
        trace:
          'at MyProject.Tests.CalculatorTests.AddsWrong() in project/MyProject.Tests/CalculatorTests.cs:line 28',
        stdout: 'computing 2 + 2',
      },
    ]);
    expect(tests[5]?.attempts[0]).toMatchObject({
      failureKind: 'error',
      message: 'System.InvalidOperationException : cannot parse <input> & "quotes"',
    });
    expect(tests[7]?.attempts[0]?.message).toBe('no network here');
    expect(tests[11]?.attempts[0]).toEqual({
      status: 'skipped',
      durationMs: 0,
      message: 'not implemented yet',
    });
  });

  it.each([
    [
      '<test-run><test-case name="a" result="Borked"/></test-run>',
      1,
      /result "Borked" is not one of Passed, Warning, Failed, Skipped, Inconclusive/,
    ],
    [
      '<test-results name="nunit2"/>',
      1,
      /not NUnit 3 XML: expected a <test-run> root element, found <test-results>/,
    ],
    [
      '<test-run>\n<test-case name="a" result="Passed">\n<test-case name="b" result="Passed"/>',
      3,
      /<test-case> inside <test-case>/,
    ],
  ])('refuses %j at line %i', async (text, line, message) => {
    const result = await readText(nunitReader, text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toMatch(message);
    expect(result.errors[0]?.line).toBe(line);
  });

  it('is detected by its root element, ahead of the JUnit catch-all', () => {
    expect(detectFormat(producer('nunit3-console.xml'))).toBe('nunit');
    expect(detectFormat('<!-- a comment -->\n<test-run id="0">')).toBe('nunit');
    expect(detectFormat('<testsuites>')).toBe('junit');
  });
});
