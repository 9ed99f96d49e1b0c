import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countLines } from '../../../core/coverage/coverage-report.ts';
import { runCoverageReaderConformance } from '../coverage-reader-conformance.ts';
import { istanbulReader } from './istanbul-reader.ts';

const fixture = (name: string) => readFileSync(new URL(`__fixtures__/producers/${name}`, import.meta.url), 'utf8');
const lines = (text: string) =>
  (async function* () {
    yield text.split(/\r?\n/);
  })();

describe('istanbulReader', () => {
  it.each([
    ['nyc-18.coverage-final.json', { total: 6, covered: 4 }, { total: 2, covered: 2 }],
    ['c8-12.coverage-final.json', { total: 13, covered: 8 }, { total: 4, covered: 4 }],
  ])('derives line coverage from the statements of %s, as the lcov of the same run counts it', async (name, charge, format) => {
    const read = await istanbulReader.read(lines(fixture(name)));
    expect(read.ok && Object.fromEntries([...read.value.files].map(([f, l]) => [f, countLines(l)]))).toEqual({
      '/tmp/i13a-fx/proj/src/payments/charge.js': charge,
      '/tmp/i13a-fx/proj/src/util/format.js': format,
    });
  });

  it('refuses coverage-summary.json (counters only) and a file without statements', async () => {
    const summary = await istanbulReader.read(lines('{"total":{"lines":{"total":1,"covered":1,"pct":100}}}'));
    expect(summary.ok ? summary : summary.errors[0]?.message).toContain('coverage-summary.json');
    const bad = await istanbulReader.read(lines('{"/a.js":{"path":"/a.js","statementMap":{"0":{}},"s":{"0":1}}}'));
    expect(bad).toMatchObject({ ok: false, errors: [{ path: '"/a.js".s.0' }] });
  });
});

runCoverageReaderConformance({
  reader: istanbulReader,
  sample: { text: fixture('nyc-18.coverage-final.json'), total: 8, covered: 6 },
  large: (files, count) =>
    JSON.stringify(
      Object.fromEntries(
        Array.from({ length: files }, (_, f) => [
          `/r/f${f}.js`,
          {
            path: `/r/f${f}.js`,
            statementMap: Object.fromEntries(Array.from({ length: count }, (_, l) => [l, { start: { line: l + 1, column: 0 }, end: { line: l + 1, column: 1 } }])),
            fnMap: {},
            branchMap: {},
            s: Object.fromEntries(Array.from({ length: count }, (_, l) => [l, l % 2])),
            f: {},
            b: {},
          },
        ]),
      ),
    ),
  // The raw V8 coverage c8 reads (NODE_V8_COVERAGE): an object, but not of file coverages.
  otherFormat: {
    text: '{"result": [{"scriptId": "1", "url": "file:///r/a.js", "functions": []}]}',
    message: /statementMap/,
    line: 1,
  },
});
