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

describe('lcovReader.readBytes', () => {
  /** The bytes in chunks of `size`, as a file is read. */
  const bytes = (text: string, size: number) =>
    (async function* () {
      const all = Buffer.from(text);
      for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
    })();
  /** The lines as the gate reads a file: a BOM, CR and a last empty line removed. */
  const gateLines = (text: string) => {
    const all = text.replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r$/, ''));
    if (all.at(-1) === '') all.pop();
    return lines(all.join('\n'));
  };
  const outcome = (read: Awaited<ReturnType<typeof lcovReader.read>>) =>
    read.ok ? [...read.value.files].map(([f, l]) => [f, [...eachLine(l)]]) : read.errors;

  it.each([
    ['c8', fixture('c8-12.lcov.info')],
    ['nyc', fixture('nyc-18.lcov.info')],
    ['CRLF, a BOM, checksums, odd counts', '\uFEFFTN:\r\nSF:src/é.ts\r\nDA:1,0\r\nDA:2,3,abc\r\nDA:3,1.5\r\nDA:04,007\r\nDA: 5,1\r\n  end_of_record  \r\n'],
    ['a huge count', 'SF:a.ts\nDA:1,99999999999999999999\nend_of_record'],
    ['a negative count', 'SF:a.ts\nDA:1,-1\nend_of_record\n'],
    ['line 0', 'SF:a.ts\nDA:0,1\nend_of_record\n'],
    ['a DA without a count', 'SF:a.ts\nDA:1\nend_of_record\n'],
    ['a DA outside a section', 'DA:1,1\n'],
    ['a section never closed', 'SF:a.ts\nDA:1,1\nSF:b.ts\n'],
    ['truncated', 'SF:a.ts\nDA:1,1\nDA:2'],
    ['empty', ''],
  ])('reads %s as read() does, whatever the chunks', async (_name, text) => {
    const expected = outcome(await lcovReader.read(gateLines(text)));
    for (const size of [1, 3, 7, 64, 1 << 20]) {
      expect(outcome(await lcovReader.readBytes(bytes(text, size)))).toEqual(expected);
    }
  });
});

describe('lcovReader with isKept', () => {
  const bytes = (text: string, size: number) =>
    (async function* () {
      const all = Buffer.from(text);
      for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
    })();
  const outcome = (read: Awaited<ReturnType<typeof lcovReader.read>>) =>
    read.ok ? [...read.value.files].map(([f, l]) => [f, [...eachLine(l)]]) : read.errors;
  const isKept = (file: string) => file.startsWith('src/');
  const text = 'SF:src/a.ts\nDA:1,1\nDA:2,0\nend_of_record\nSF:lib/b.ts\nDA:1,3\nDA:900,1\nend_of_record\nSF:src/a.ts\nDA:2,4\nend_of_record\n';

  it('lists a file it refuses with no line records, and keeps the others whole, whatever the chunks', async () => {
    const expected = [
      ['src/a.ts', [[1, 1], [2, 4]]],
      ['lib/b.ts', []],
    ];
    expect(outcome(await lcovReader.read(lines(text.replace(/\n$/, '')), { isKept }))).toEqual(expected);
    for (const size of [1, 5, 64, 1 << 20]) expect(outcome(await lcovReader.readBytes(bytes(text, size), { isKept }))).toEqual(expected);
  });

  it.each([
    ['a negative count', 'DA:1,-1'],
    ['line 0', 'DA:0,1'],
    ['a DA without a count', 'DA:1'],
  ])('still refuses %s in a file it refuses, as without it', async (_name, record) => {
    const bad = `${text}SF:lib/c.ts\nDA:1,1\n${record}\nend_of_record\n`;
    const expected = outcome(await lcovReader.readBytes(bytes(bad, 1 << 20)));
    expect(expected).toMatchObject([{ line: 14 }]);
    for (const size of [1, 7, 1 << 20]) expect(outcome(await lcovReader.readBytes(bytes(bad, size), { isKept }))).toEqual(expected);
  });
});

describe('lcovReader.readBytes, at sizes', () => {
  const bytes = (text: string, size: number, reuse = false) =>
    (async function* () {
      const all = Buffer.from(text);
      // A context may refill one buffer: each chunk is valid until the next is asked for.
      const buffer = Buffer.alloc(size);
      for (let i = 0; i < all.length; i += size) {
        const piece = all.subarray(i, i + size);
        if (!reuse) yield piece;
        else {
          piece.copy(buffer);
          yield buffer.subarray(0, piece.length);
          buffer.fill(0x44);
        }
      }
    })();
  const outcome = (read: Awaited<ReturnType<typeof lcovReader.read>>) =>
    read.ok ? [...read.value.files].map(([f, l]) => [f, [...eachLine(l)]]) : read.errors;
  const asLines = (text: string) => lines(text.replace(/\n$/, ''));

  it('reads sections of every length and merged ones as read() does, from a refilled buffer', async () => {
    const section = (file: string, last: number) =>
      [`SF:${file}`, ...Array.from({ length: last }, (_, l) => `DA:${l + 1},${(l * 7) % 5}`), 'end_of_record'].join('\n');
    const text = `${[section('a.ts', 900), section('b.ts', 3), section('c.ts', 2_000), section('a.ts', 1_200), section('d.ts', 1)].join('\n')}\n`;
    const expected = outcome(await lcovReader.read(asLines(text)));
    for (const size of [5, 4096, 1 << 20]) expect(outcome(await lcovReader.readBytes(bytes(text, size, true)))).toEqual(expected);
  });

  it('reads a line of megabytes cut across many chunks (a checksum, a path), and says where a bad one is', async () => {
    const checksum = 'x'.repeat(3_000_000);
    const text = `SF:src/${'d/'.repeat(500_000)}a.ts\nDA:1,1,${checksum}\nDA:2,0\nend_of_record\nSF:b.ts\nDA:1,${checksum}\n`;
    const expected = outcome(await lcovReader.read(asLines(text)));
    expect(expected).toMatchObject([{ line: 6, message: expect.stringContaining('DA:<line>,<count>') as string }]);
    for (const size of [4096, 1 << 20]) expect(outcome(await lcovReader.readBytes(bytes(text, size, true)))).toEqual(expected);
  });
});

runCoverageReaderConformance({
  reader: lcovReader,
  sample: { text: fixture('c8-12.lcov.info'), total: 17, covered: 12 },
  large: (files, count) =>
    Array.from({ length: files }, (_, f) =>
      [`SF:src/f${f}.ts`, ...Array.from({ length: count }, (_, l) => `DA:${l + 1},${l % 3}`), 'end_of_record'].join('\n'),
    ).join('\n'),
  skip: [
    {
      reason: 'LCOV has no version or root marker: any text of SF: sections is a tracefile',
      tests: ['refuses a file of another format or version with a clear problem naming the file and place'],
    },
  ],
});
