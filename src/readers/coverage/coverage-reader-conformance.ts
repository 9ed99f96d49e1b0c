import { describe, expect, it } from 'vitest';
import { countLines, type CoverageReport } from '../../core/coverage/coverage-report.ts';
import { skippedCases, type ConformanceSkip } from '../../testing/skipped-cases.ts';
import type { CoverageReader } from './coverage-reader.ts';
import { coverageReaders, detectCoverageFormat } from './coverage-readers.ts';

/** The cases of the suite, by name: what a reader's `skip` may list. */
export const coverageReaderConformanceCases = [
  'detects and reads its sample',
  'refuses empty input',
  'refuses a truncated sample',
  'refuses garbage without throwing',
  'reads a large sample',
  'reads a file that starts with a UTF-8 BOM the same as without',
  'refuses a file of another format or version with a clear problem naming the file and place',
] as const;
export type CoverageReaderConformanceCase = (typeof coverageReaderConformanceCases)[number];

const linesOf = (text: string) =>
  (async function* () {
    yield text.split(/\r?\n/);
  })();

/**
 * Registers the cases every coverage reader passes: its sample detected as its format and read
 * to the expected totals; empty input, a sample cut in the middle and garbage refused as problems
 * with a line (never a smaller report, never a throw); a large generated sample read; the
 * sample behind a UTF-8 BOM read the same; and `otherFormat`, a file whose root element, shape
 * or version line says it is another format or version, refused with a problem at its place
 * (line ≥ 1) whose message matches `message` (the caller adds the file's name: readers read
 * lines). `large` writes a document of `files` files of `lines` line records each. A format
 * without a version or root marker (LCOV) skips the `otherFormat` case with its reason.
 */
export function runCoverageReaderConformance(options: {
  reader: CoverageReader;
  sample: { text: string; total: number; covered: number };
  /** Where to cut the sample so that it is truncated (default: its middle). */
  cutAt?: number;
  large: (files: number, lines: number) => string;
  /** A file of another format or version this reader must refuse, and what its problem says. */
  otherFormat?: { text: string; message: RegExp; line: number };
  skip?: readonly ConformanceSkip<CoverageReaderConformanceCase>[];
}): void {
  const { reader, sample } = options;
  const suite = `coverage reader conformance: ${reader.id}`;
  if (coverageReaders[reader.id as keyof typeof coverageReaders] !== reader)
    throw new Error(`${suite}: not in coverage-readers.ts`);
  const skipped = skippedCases(suite, coverageReaderConformanceCases, options.skip);
  const totals = (report: CoverageReport) =>
    [...report.files.values()].map(countLines).reduce(
      (a, b) => ({ total: a.total + b.total, covered: a.covered + b.covered }),
      { total: 0, covered: 0 },
    );
  const cases: Record<CoverageReaderConformanceCase, () => void> = {
    'detects and reads its sample': () =>
      it('detects its sample and reads its line records', async () => {
        expect(detectCoverageFormat(sample.text.slice(0, 1024))).toBe(reader.id);
        const read = await reader.read(linesOf(sample.text));
        expect(read.ok ? totals(read.value) : read.errors).toEqual({ total: sample.total, covered: sample.covered });
      }),
    'refuses empty input': () =>
      it('refuses empty input as a problem', async () => {
        const read = await reader.read(linesOf(''));
        expect(read.ok).toBe(false);
      }),
    'refuses a truncated sample': () =>
      it('refuses the sample cut short, with a line', async () => {
        const cut = sample.text.slice(0, options.cutAt ?? Math.floor(sample.text.length / 2));
        const read = await reader.read(linesOf(cut));
        expect(read.ok).toBe(false);
        if (!read.ok) expect(read.errors[0]?.line).toBeGreaterThanOrEqual(1);
      }),
    'refuses garbage without throwing': () =>
      it.each(['\u0000\u0001garbage', '{"a":', '<x><y>', 'SF:\nDA:x,y', 'mode: set\nnot a block'])(
        'refuses %j',
        async (text) => {
          const read = await reader.read(linesOf(text));
          expect(read.ok).toBe(false);
        },
      ),
    'reads a large sample': () =>
      it('reads 2,000 files of 500 line records', async () => {
        const read = await reader.read(linesOf(options.large(2_000, 500)));
        expect(read.ok ? totals(read.value).total : read.errors).toBe(1_000_000);
      }),
    'reads a file that starts with a UTF-8 BOM the same as without': () =>
      it('reads its sample behind a UTF-8 BOM as without, and detects it', async () => {
        const text = `\uFEFF${sample.text}`;
        expect(detectCoverageFormat(text.slice(0, 1024))).toBe(reader.id);
        const read = await reader.read(linesOf(text));
        const plain = await reader.read(linesOf(sample.text));
        expect(read.ok ? totals(read.value) : read.errors).toEqual({ total: sample.total, covered: sample.covered });
        expect(read.ok && [...read.value.files.keys()]).toEqual(plain.ok && [...plain.value.files.keys()]);
      }),
    'refuses a file of another format or version with a clear problem naming the file and place': () => {
      const other = options.otherFormat;
      if (other === undefined)
        throw new Error(`${suite}: give otherFormat, or skip the case with the reason (no version or root marker)`);
      it('refuses a file of another format or version, saying what it found where', async () => {
        const read = await reader.read(linesOf(other.text));
        expect(read.ok).toBe(false);
        if (!read.ok) {
          expect(read.errors[0]?.message).toMatch(other.message);
          expect(read.errors[0]?.line).toBe(other.line);
        }
      });
    },
  };
  describe(suite, () => {
    for (const name of coverageReaderConformanceCases) if (!skipped.has(name)) cases[name]();
  });
}
