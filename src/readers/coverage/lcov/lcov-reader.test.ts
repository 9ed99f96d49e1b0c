import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countLines, eachLine } from '../../../core/coverage/coverage-report.ts';
import { runCoverageReaderConformance } from '../coverage-reader-conformance.ts';
import { lcovReader } from './lcov-reader.ts';

const fixture = (name: string) => readFileSync(new URL(`__fixtures__/producers/${name}`, import.meta.url), 'utf8');
const lines = (text: string) =>
  (async function* () {
    yield text.split(/\r?\n/);
  })();

describe('lcovReader', () => {
  it.each([
    ['c8-12.lcov.info', { 'src/payments/charge.js': { total: 13, covered: 8 }, 'src/util/format.js': { total: 4, covered: 4 } }],
    ['nyc-18.lcov.info', { 'src/payments/charge.js': { total: 6, covered: 4 }, 'src/util/format.js': { total: 2, covered: 2 } }],
  ])('reads %s as the tool counted it (LF/LH), from the DA records', async (name, expected) => {
    const read = await lcovReader.read(lines(fixture(name)));
    expect(read.ok && Object.fromEntries([...read.value.files].map(([f, l]) => [f, countLines(l)]))).toEqual(expected);
  });

  it('merges sections of one file, ignores counters that lie, and reads CRLF, checksums and comments', async () => {
    const text = ['# comment', 'TN:a', 'SF:C:\\src\\a.ts', 'DA:1,0', 'DA:2,3,abc', 'LF:99', 'LH:99', 'end_of_record', 'TN:b', 'SF:C:\\src\\a.ts', 'DA:1,2', 'BRDA:1,e0,0,-', 'FN:1,a,b,c', 'end_of_record'].join('\r\n');
    const read = await lcovReader.read(lines(text));
    expect(read.ok && [...read.value.files.entries()].map(([f, l]) => [f, [...eachLine(l)]])).toEqual([['C:\\src\\a.ts', [[1, 2], [2, 3]]]]);
  });

  it.each([
    ['DA:1,-1', 'a count ≥ 0'],
    ['DA:0,1', 'starts at 1'],
    ['DA:1', 'DA:<line>,<count>'],
  ])('refuses %s with its line', async (record, message) => {
    const read = await lcovReader.read(lines(`SF:a.ts\nDA:1,1\n${record}\nend_of_record\n`));
    expect(read.ok ? read : read.errors[0]).toMatchObject({ line: 3, message: expect.stringContaining(message) as string });
  });

  it('refuses a DA outside a section and a section never closed', async () => {
    expect((await lcovReader.read(lines('DA:1,1\n'))).ok).toBe(false);
    const read = await lcovReader.read(lines('SF:a.ts\nDA:1,1\nSF:b.ts\n'));
    expect(read.ok ? read : read.errors[0]?.message).toContain('SF: before the end_of_record of a.ts');
  });
});

runCoverageReaderConformance({
  reader: lcovReader,
  sample: { text: fixture('c8-12.lcov.info'), total: 17, covered: 12 },
  large: (files, count) =>
    Array.from({ length: files }, (_, f) =>
      [`SF:src/f${f}.ts`, ...Array.from({ length: count }, (_, l) => `DA:${l + 1},${l % 3}`), 'end_of_record'].join('\n'),
    ).join('\n'),
});
