import { describe, expect, it } from 'vitest';
import { finalStatus } from '../../core/tests/final-status.ts';
import { readBytes } from '../../testing/read-bytes.ts';
import { readText } from '../../testing/read-text.ts';
import { skippedCases, type ConformanceSkip } from '../../testing/skipped-cases.ts';
import type { TestResultReader } from './test-result-reader.ts';
import { detectFormat, isReportFormat } from './test-result-readers.ts';

/** Documents of one format, written by the reader's own test (its folder owns its samples). */
export type ReaderSamples = {
  /** A valid document with `count` tests: odd ones pass, even ones fail, the third is skipped. */
  document(count: number): string;
  /** A valid document of a few lines with one failing test whose name is `name`, written raw. */
  named(name: string): string;
  /**
   * The same, declaring its encoding with `label` inside the document. Leave it out for a format
   * that cannot (JSON is UTF-8, RFC 8259) and skip the cases that need it, with that reason.
   */
  declaring?: ((label: string, name: string) => string) | undefined;
};

/** The cases of the suite, by name: what a reader's `skip` may list. */
export const readerConformanceCases = [
  'reads a valid document',
  'is detected from its content',
  'refuses empty, blank and garbage input',
  'locates a truncated document',
  'ignores a byte order mark',
  'reads CRLF line endings',
  'ignores chunk boundaries',
  'decodes UTF-16',
  'reads UTF-8 with a byte order mark and CRLF',
  'refuses invalid UTF-8',
  'refuses invalid UTF-8 far into a document',
  'refuses a NUL byte',
  'says the file is empty',
  'decodes the encoding it declares',
  'refuses an unknown encoding label',
  'refuses bytes invalid in the declared encoding',
  'reads a large document',
] as const;
export type ReaderConformanceCase = (typeof readerConformanceCases)[number];

/** UTF-16 bytes of `text`, little- or big-endian, with or without a byte order mark. */
function utf16(text: string, endian: 'le' | 'be', withBom: boolean): Buffer {
  const bytes = Buffer.from(`${withBom ? '\uFEFF' : ''}${text}`, 'utf16le');
  return endian === 'le' ? bytes : bytes.swap16();
}

/** Line and column (1-based) of the first `marker` in `text`. */
function positionOf(text: string, marker: string): { line: number; column: number } {
  return positionAt(text, text.indexOf(marker));
}

/** Line and column (1-based) of the character at `index` in `text`. */
function positionAt(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

/**
 * Registers, in a `describe` block named after the reader, the cases every test-result reader
 * passes: a valid document, detection, empty, blank, garbage and truncated input, BOM, CRLF,
 * chunk boundaries, UTF-16, invalid UTF-8, NUL, empty files, declared encodings, a large document.
 * Call it from the reader's own test with the samples of its folder. A case listed in `skip` is
 * not registered at all; the reader's readme lists it with the reason. Throws while the file is
 * collected when a skip has no reason or names no case, or when the reader is not registered.
 */
export function runReaderConformance(options: {
  reader: TestResultReader;
  samples: ReaderSamples;
  skip?: readonly ConformanceSkip<ReaderConformanceCase>[];
}): void {
  const { reader, samples: sample } = options;
  const suite = `reader conformance: ${reader.id}`;
  // Detection and decoding go through the registry, as ingest does.
  if (!isReportFormat(reader.id)) throw new Error(`${suite}: not in test-result-readers.ts`);
  const format = reader.id;
  const skipped = skippedCases(suite, readerConformanceCases, options.skip);
  const declaring =
    sample.declaring ??
    ((): never => {
      throw new Error(`${suite}: this case needs samples.declaring, or a skip with a reason`);
    });

  const statuses = async (text: string, chunkSize?: number) => {
    const result = await readText(reader, text, chunkSize);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.value.map((t) => [t.name, finalStatus(t.attempts)]);
  };

  const names = async (bytes: Uint8Array, chunkSize?: number) => {
    const result = await readBytes(bytes, chunkSize === undefined ? {} : { chunkSize });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.format).toBe(format);
    return result.value.map((t) => t.name);
  };

  /** Every case registers its `it` blocks here; a case without one is a type error. */
  const cases: Record<ReaderConformanceCase, () => void> = {
    'reads a valid document': () =>
      it('reads a valid document', async () => {
        expect(await statuses(sample.document(4))).toEqual([
          ['t0', 'passed'],
          ['t1', 'failed'],
          ['t2', 'skipped'],
          ['t3', 'failed'],
        ]);
      }),

    'is detected from its content': () =>
      it('is detected from its content', () => {
        expect(detectFormat(sample.document(1))).toBe(format);
        expect(detectFormat(`\uFEFF${sample.document(1)}`)).toBe(format);
      }),

    'refuses empty, blank and garbage input': () =>
      it.each([
        ['empty', ''],
        ['whitespace only', '  \n\t\n'],
        ['garbage', '\u0000\u0001garbage ]]> }{ not a report'],
      ])('returns a problem, never throws, for %s input', async (_name, text) => {
        const result = await readText(reader, text);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors[0]?.message).toBeTruthy();
      }),

    'locates a truncated document': () =>
      it('returns a problem with a position for a truncated document', async () => {
        const text = sample.document(6);
        const result = await readText(reader, text.slice(0, Math.floor(text.length / 2)));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors[0]?.line).toBeGreaterThan(1);
      }),

    'ignores a byte order mark': () =>
      it('ignores a byte order mark', async () => {
        expect(await statuses(`\uFEFF${sample.document(4)}`)).toEqual(
          await statuses(sample.document(4)),
        );
      }),

    'reads CRLF line endings': () =>
      it('reads CRLF line endings the same, keeping messages', async () => {
        const crlf = sample.document(4).replace(/\n/g, '\r\n');
        expect(await statuses(crlf)).toEqual(await statuses(sample.document(4)));
        const result = await readText(reader, crlf);
        if (result.ok) expect(result.value[1]?.attempts[0]?.message).toBe('m1');
      }),

    'ignores chunk boundaries': () =>
      it('gives the same result whatever the chunk boundaries', async () => {
        expect(await statuses(sample.document(5), 3)).toEqual(await statuses(sample.document(5)));
      }),

    'decodes UTF-16': () =>
      it.each([
        ['UTF-16LE with a byte order mark', 'le', true],
        ['UTF-16BE with a byte order mark', 'be', true],
        ['UTF-16LE without a byte order mark', 'le', false],
        ['UTF-16BE without a byte order mark', 'be', false],
      ] as const)('decodes %s', async (_name, endian, withBom) => {
        // An odd chunk size splits code units and the surrogate pair of 𝄞 across chunks.
        expect(await names(utf16(sample.named('café ✓ 𝄞'), endian, withBom), 7)).toEqual([
          'café ✓ 𝄞',
        ]);
      }),

    'reads UTF-8 with a byte order mark and CRLF': () =>
      it('reads UTF-8 with a byte order mark and CRLF line endings like plain UTF-8', async () => {
        const plain = sample.document(4);
        const bytes = Buffer.from(`\uFEFF${plain.replace(/\n/g, '\r\n')}`);
        const result = await readBytes(bytes, { chunkSize: 5 });
        const expected = await readText(reader, plain);
        expect(result.ok && result.value.map((t) => [t.name, finalStatus(t.attempts)])).toEqual(
          expected.ok && expected.value.map((t) => [t.name, finalStatus(t.attempts)]),
        );
      }),

    'refuses invalid UTF-8': () =>
      it('refuses invalid UTF-8 with its line, column and byte offset, not a U+FFFD', async () => {
        const text = sample.named('café');
        const bytes = Buffer.from(text.replace('é', 'e'), 'utf8');
        const offset = Buffer.byteLength(text.slice(0, text.indexOf('é')));
        bytes[offset] = 0xe9; // é in ISO-8859-1: a lead byte of UTF-8 followed by a non-continuation
        for (const chunkSize of [3, 64 * 1024]) {
          const result = await readBytes(bytes, { chunkSize });
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(result.errors).toEqual([
            {
              message: expect.stringContaining(`at byte ${offset}: bytes E9`),
              ...positionOf(text, 'é'),
            },
          ]);
        }
      }),

    'refuses invalid UTF-8 far into a document': () =>
      it('refuses invalid UTF-8 far into a document, at its line and byte offset', async () => {
        const text = `${sample.document(3_000).trimEnd()}\n`;
        const cut = text.lastIndexOf('t2999');
        const bytes = Buffer.concat([
          Buffer.from(text.slice(0, cut)),
          Buffer.from([0xc3, 0x28]), // a two-byte lead, then "(": not a character
          Buffer.from(text.slice(cut + 2)),
        ]);
        const result = await readBytes(bytes, { chunkSize: 4_096 });
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.errors[0]).toMatchObject(positionAt(text, cut));
          expect(result.errors[0]?.message).toContain(
            `at byte ${Buffer.byteLength(text.slice(0, cut))}:`,
          );
        }
      }),

    'refuses a NUL byte': () =>
      it('refuses a NUL byte with a position', async () => {
        const text = sample.named('a\u0000b');
        const result = await readBytes(Buffer.from(text));
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const at = positionOf(text, '\u0000');
        // saxes points just past the character it refused, the JSON tokenizer at it.
        expect(result.errors[0]).toMatchObject({ line: at.line });
        expect(result.errors[0]?.column).toBeGreaterThanOrEqual(at.column);
        expect(result.errors[0]?.column).toBeLessThanOrEqual(at.column + 1);
      }),

    'says the file is empty': () =>
      it.each([
        ['no bytes', Buffer.alloc(0)],
        ['only whitespace', Buffer.from(' \r\n\t\n')],
        ['only a byte order mark', Buffer.from('\uFEFF')],
      ])('says the file is empty when it holds %s', async (_name, bytes) => {
        for (const given of ['auto', format] as const) {
          const result = await readBytes(bytes, { format: given });
          expect(result.ok).toBe(false);
          if (!result.ok)
            expect(result.errors).toEqual([{ message: 'the file is empty', line: 1, column: 1 }]);
        }
      }),

    'decodes the encoding it declares': () =>
      it('decodes the encoding its document declares (ISO-8859-1, windows-1252, Shift_JIS)', async () => {
        const latin1 = Buffer.from(declaring('ISO-8859-1', 'café'), 'latin1');
        expect(await names(latin1, 3)).toEqual(['café']);
        // 0x80 is € in windows-1252 (and in ISO-8859-1 as the WHATWG Encoding Standard reads it).
        const cp1252 = Buffer.from(declaring('windows-1252', 'price X'), 'latin1');
        cp1252[cp1252.indexOf('X')] = 0x80;
        expect(await names(cp1252)).toEqual(['price €']);
        const [before = '', after = ''] = declaring('Shift_JIS', 'X').split('X');
        const sjis = Buffer.concat([
          Buffer.from(before),
          Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67]), // テスト
          Buffer.from(after),
        ]);
        expect(await names(sjis, 1)).toEqual(['テスト']);
      }),

    'refuses an unknown encoding label': () =>
      it('refuses an encoding label it does not know, naming it', async () => {
        const result = await readBytes(Buffer.from(declaring('x-klingon', 'a')));
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.errors[0]?.message).toMatch(/unknown encoding "x-klingon"/);
          expect(result.errors[0]).toMatchObject({ line: 1 });
        }
      }),

    'refuses bytes invalid in the declared encoding': () =>
      it('refuses bytes that are invalid in the declared encoding', async () => {
        const text = declaring('Shift_JIS', 'X');
        const bytes = Buffer.from(text);
        bytes[text.indexOf('X')] = 0xa0; // not a Shift_JIS byte
        const result = await readBytes(bytes);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.errors[0]).toMatchObject(positionOf(text, 'X'));
          expect(result.errors[0]?.message).toMatch(/^invalid shift_jis at byte \d+: bytes A0/);
        }
      }),

    'reads a large document': () =>
      it('reads a large document completely', async () => {
        const result = await readText(reader, sample.document(50_000));
        expect(result.ok && result.value.length).toBe(50_000);
      }),
  };

  describe(suite, () => {
    for (const name of readerConformanceCases) if (!skipped.has(name)) cases[name]();
  });
}
