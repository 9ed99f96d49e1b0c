import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eachLine, emptyLineHits } from '../../../core/coverage/coverage-report.ts';
import { runCoverageReaderConformance } from '../coverage-reader-conformance.ts';
import { goReader } from './go-reader.ts';

const fixture = readFileSync(new URL('__fixtures__/producers/go-1.19.coverprofile', import.meta.url), 'utf8');
const lines = (text: string) =>
  (async function* () {
    yield text.split(/\r?\n/);
  })();

describe('goReader', () => {
  it('spreads each block over its lines, the largest count winning where blocks meet', async () => {
    const read = await goReader.read(lines(fixture));
    expect(read.ok && [...eachLine(read.value.files.get('example.com/shop/pay/pay.go') ?? emptyLineHits())]).toEqual([
      [6, 1], [7, 1], [8, 0], [9, 0], [10, 1], [11, 1], [15, 0], [16, 0], [17, 0],
    ]);
  });

  it('refuses a profile without its mode line', async () => {
    const read = await goReader.read(lines('a.go:1.1,2.2 1 1\n'));
    expect(read.ok ? read : read.errors[0]).toMatchObject({ line: 1 });
  });
});

runCoverageReaderConformance({
  reader: goReader,
  sample: { text: fixture, total: 9, covered: 4 },
  cutAt: fixture.indexOf(' 1 0') + 2,
  large: (files, count) =>
    ['mode: count', ...Array.from({ length: files }, (_, f) => Array.from({ length: count }, (_, l) => `m/f${f}.go:${l + 1}.1,${l + 1}.9 1 ${l % 2}`).join('\n'))].join('\n'),
  // A mode this version of the format does not define.
  otherFormat: {
    text: 'mode: weighted\nm/a.go:1.1,2.2 1 1',
    message: /^expected "mode: set\|count\|atomic" on the first line, got "mode: weighted"$/,
    line: 1,
  },
});
