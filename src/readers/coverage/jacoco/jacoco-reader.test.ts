import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countLines, eachLine, emptyLineHits } from '../../../core/coverage/coverage-report.ts';
import { runCoverageReaderConformance } from '../coverage-reader-conformance.ts';
import { jacocoReader } from './jacoco-reader.ts';

const fixture = readFileSync(new URL('__fixtures__/producers/hand-written.jacoco.xml', import.meta.url), 'utf8');
const lines = (text: string) =>
  (async function* () {
    yield text.split(/\r?\n/);
  })();

describe('jacocoReader', () => {
  it('reads package/sourcefile lines, covered when an instruction on them ran', async () => {
    const read = await jacocoReader.read(lines(fixture));
    expect(read.ok && [...read.value.files.entries()].map(([f, l]) => [f, [...eachLine(l)]])).toEqual([
      ['com/acme/pay/Charge.java', [[5, 3], [6, 0], [8, 5], [9, 4]]],
    ]);
  });

  it('reads what JaCoCo 0.8.6 writes (agent and XMLFormatter, run here): one line of XML, two source files', async () => {
    const real = readFileSync(new URL('__fixtures__/producers/jacoco-0.8.6.jacoco.xml', import.meta.url), 'utf8');
    const read = await jacocoReader.read(lines(real));
    if (!read.ok) throw new Error(JSON.stringify(read.errors));
    // total() ran without a discount (line 10 did not); refund() never ran; Main's implicit
    // constructor (line 3) was not called, main() was.
    expect([...read.value.files.entries()].map(([f, l]) => [f, [...eachLine(l)]])).toEqual([
      ['com/acme/pay/Charge.java', [[5, 2], [6, 16], [7, 4], [9, 2], [10, 0], [12, 2], [16, 0], [17, 0], [19, 0]]],
      ['com/acme/pay/Main.java', [[3, 0], [5, 14], [6, 1]]],
    ]);
    expect(countLines(read.value.files.get('com/acme/pay/Charge.java') ?? emptyLineHits())).toEqual({ total: 9, covered: 5 });
  });

  it('refuses a report without source files (built without sources)', async () => {
    const read = await jacocoReader.read(lines('<report name="x"><package name="p"><class name="p/A"/></package></report>'));
    expect(read.ok ? read : read.errors[0]?.message).toContain('no <sourcefile>');
  });
});

runCoverageReaderConformance({
  reader: jacocoReader,
  sample: { text: fixture, total: 4, covered: 3 },
  large: (files, count) =>
    `<report name="r"><package name="p">${Array.from(
      { length: files },
      (_, f) => `<sourcefile name="F${f}.java">${Array.from({ length: count }, (_, l) => `<line nr="${l + 1}" mi="1" ci="${l % 2}" mb="0" cb="0"/>`).join('')}</sourcefile>`,
    ).join('\n')}</package></report>`,
  // A Cobertura report: its <coverage> root is not JaCoCo's <report>.
  otherFormat: {
    text: '<?xml version="1.0"?>\n<coverage line-rate="1" version="1.9"><packages/></coverage>',
    message: /^not JaCoCo XML: expected a <report> root element, found <coverage>$/,
    line: 2,
  },
});
