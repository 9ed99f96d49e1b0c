import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countLines, eachLine, emptyLineHits } from '../../../core/coverage/coverage-report.ts';
import { runCoverageReaderConformance } from '../coverage-reader-conformance.ts';
import { coberturaReader } from './cobertura-reader.ts';

const fixture = (name: string) => readFileSync(new URL(`__fixtures__/producers/${name}`, import.meta.url), 'utf8');
const lines = (text: string) =>
  (async function* () {
    yield text.split(/\r?\n/);
  })();

describe('coberturaReader', () => {
  it.each([
    ['nyc-18.cobertura-coverage.xml', { total: 6, covered: 4 }],
    ['c8-12.cobertura-coverage.xml', { total: 13, covered: 8 }],
  ])('reads the class-level lines of %s (method-level lines repeat them) and its source root', async (name, charge) => {
    const read = await coberturaReader.read(lines(fixture(name)));
    expect(read.ok && countLines(read.value.files.get('src/payments/charge.js') ?? emptyLineHits())).toEqual(charge);
    expect(read.ok && read.value.roots).toEqual(['/tmp/i13a-fx/proj']);
  });

  it.each([
    ['coverage.py-6.5.coverage.xml', 'shop/pricing.py', '/repo'],
    ['pytest-cov-4.0.coverage.xml', 'pricing.py', '/repo/shop'],
  ])('reads %s: the lines coverage.py ran, an empty __init__.py, its source root', async (name, pricing, root) => {
    const read = await coberturaReader.read(lines(fixture(name)));
    if (!read.ok) throw new Error(JSON.stringify(read.errors));
    // total() ran without a discount (lines 1, 2, 3, 5); refund() was defined (8), never called.
    expect([...eachLine(read.value.files.get(pricing) ?? emptyLineHits())]).toEqual([
      [1, 1], [2, 1], [3, 1], [4, 0], [5, 1], [8, 1], [9, 0], [10, 0], [11, 0],
    ]);
    expect(countLines(read.value.files.get(pricing) ?? emptyLineHits())).toEqual({ total: 9, covered: 5 });
    expect([...read.value.files.keys()].sort()).toEqual([pricing.replace('pricing.py', '__init__.py'), pricing]);
    expect(read.value.roots).toEqual([root]);
  });

  it('merges classes of one file, keeps every source root, and ignores line-rate', async () => {
    const xml = `<?xml version="1.0"?>
<coverage line-rate="1"><sources><source>--dummy</source><source>C:\\temp\\</source></sources><packages><package name="p"><classes>
<class name="A" filename="a.cs" line-rate="1"><lines><line number="1" hits="0" branch="False"/></lines></class>
<class name="A+B" filename="a.cs"><lines><line number="1" hits="2"/><line number="2" hits="0"/></lines></class>
</classes></package></packages></coverage>`;
    const read = await coberturaReader.read(lines(xml));
    expect(read.ok && [[...eachLine(read.value.files.get('a.cs') ?? emptyLineHits())], read.value.roots]).toEqual([[[1, 2], [2, 0]], ['--dummy', 'C:/temp']]);
  });

  it('refuses entity declarations and another root', async () => {
    const entity = await coberturaReader.read(lines('<!DOCTYPE coverage [<!ENTITY x "y">]><coverage/>'));
    expect(entity.ok ? entity : entity.errors[0]?.message).toContain('entity declarations');
    const other = await coberturaReader.read(lines('<testsuites/>'));
    expect(other.ok ? other : other.errors[0]?.message).toContain('expected a <coverage> root');
  });
});

runCoverageReaderConformance({
  reader: coberturaReader,
  sample: { text: fixture('nyc-18.cobertura-coverage.xml'), total: 8, covered: 6 },
  large: (files, count) =>
    `<coverage><packages><package name="p"><classes>${Array.from(
      { length: files },
      (_, f) => `<class name="c${f}" filename="src/f${f}.py"><lines>${Array.from({ length: count }, (_, l) => `<line number="${l + 1}" hits="${l % 2}"/>`).join('')}</lines></class>`,
    ).join('\n')}</classes></package></packages></coverage>`,
  // A JaCoCo report: its <report> root is not Cobertura's <coverage>.
  otherFormat: {
    text: '<?xml version="1.0"?>\n<report name="r"><package name="p"/></report>',
    message: /^not Cobertura XML: expected a <coverage> root element, found <report>$/,
    line: 2,
  },
});
