import { describe, expect, it } from 'vitest';
import { skippedCases, type ConformanceSkip } from '../../testing/skipped-cases.ts';
import type { EvidenceKind, EvidenceModels, EvidenceReader } from './evidence-reader.ts';
import { evidenceReaders, readEvidence } from './evidence-readers.ts';

/** Documents of one format, written by the reader's own test. */
export type EvidenceSamples<K extends EvidenceKind> = {
  /** A valid document (pretty-printed over several lines) with `count` items. */
  document(count: number): string;
  /** The number of items in what the reader read: findings, vulnerabilities, components… */
  count(model: EvidenceModels[K]): number;
  /** A document of a version the reader does not support. */
  wrongVersion?: string | undefined;
};

/** The cases of the suite, by name: what a reader's `skip` may list. */
export const evidenceReaderConformanceCases = [
  'reads a valid document',
  'is detected from its content',
  'refuses empty, blank and garbage input',
  'locates a truncated document',
  'ignores a byte order mark',
  'reads CRLF line endings',
  'ignores chunk boundaries',
  'decodes UTF-16',
  'refuses a version it does not support',
  'reads a large document',
] as const;
export type EvidenceReaderConformanceCase = (typeof evidenceReaderConformanceCases)[number];

/** Bytes handed over in chunks of `size`. */
function chunked(bytes: Uint8Array, size = 64 * 1024) {
  return async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  };
}

/**
 * Registers, in a `describe` block named after the reader, the cases every evidence reader
 * passes: a valid document, detection among the readers of its kind, empty, blank, garbage and
 * truncated input, BOM, CRLF, chunk boundaries, UTF-16, an unsupported version, a large
 * document. A case listed in `skip` is not registered; the readme lists it with the reason.
 */
export function runEvidenceReaderConformance<K extends EvidenceKind>(options: {
  reader: EvidenceReader<K>;
  samples: EvidenceSamples<K>;
  skip?: readonly ConformanceSkip<EvidenceReaderConformanceCase>[];
}): void {
  const { reader, samples } = options;
  const suite = `evidence reader conformance: ${reader.id}`;
  if (!(Object.values(evidenceReaders) as unknown[]).includes(reader)) {
    throw new Error(`${suite}: not in evidence-readers.ts`);
  }
  const skipped = skippedCases(suite, evidenceReaderConformanceCases, options.skip);
  const read = async (bytes: Uint8Array | string, size?: number) =>
    readEvidence(
      reader.kind,
      chunked(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, size),
    );
  const count = async (bytes: Uint8Array | string, size?: number) => {
    const result = await read(bytes, size);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return samples.count(result.value);
  };

  const cases: Record<EvidenceReaderConformanceCase, () => void> = {
    'reads a valid document': () =>
      it('reads a valid document', async () => {
        expect(await count(samples.document(3))).toBe(3);
        expect(await count(samples.document(0))).toBe(0);
      }),
    'is detected from its content': () =>
      it('is detected from its content among the readers of its kind', () => {
        const others = Object.values(evidenceReaders).filter((r) => r.kind === reader.kind);
        const head = samples.document(1).slice(0, 1024);
        expect(others.find((r) => r.detect(head))?.id).toBe(reader.id);
      }),
    'refuses empty, blank and garbage input': () =>
      it.each([
        ['empty', ''],
        ['whitespace only', '  \n\t\n'],
        ['garbage', '\u0001garbage ]]> }{ not a report'],
        ['a JSON string', '"2.1.0"'],
        ['a number', '42'],
      ])('returns a problem, never throws, for %s input', async (_name, text) => {
        const result = await reader.read(
          (async function* () {
            yield text;
          })(),
        );
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors[0]?.message).toBeTruthy();
      }),
    'locates a truncated document': () =>
      it('returns a problem with a position for a truncated document', async () => {
        const text = samples.document(6);
        const result = await read(text.slice(0, Math.floor(text.length / 2)));
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.errors[0]?.message).toMatch(/truncated/);
          expect(result.errors[0]?.line).toBeGreaterThan(1);
        }
      }),
    'ignores a byte order mark': () =>
      it('ignores a byte order mark', async () => {
        expect(await count(`\uFEFF${samples.document(4)}`)).toBe(4);
      }),
    'reads CRLF line endings': () =>
      it('reads CRLF line endings', async () => {
        expect(await count(samples.document(4).replace(/\n/g, '\r\n'))).toBe(4);
      }),
    'ignores chunk boundaries': () =>
      it('gives the same result whatever the chunk boundaries', async () => {
        const one = await read(samples.document(5));
        const small = await read(samples.document(5), 7);
        expect(small).toEqual(one);
      }),
    'decodes UTF-16': () =>
      it('decodes UTF-16LE with a byte order mark', async () => {
        const bytes = Buffer.from(`\uFEFF${samples.document(3)}`, 'utf16le');
        expect(await count(bytes, 5)).toBe(3);
      }),
    'refuses a version it does not support': () =>
      it('refuses a version it does not support, naming it', async () => {
        const wrong = samples.wrongVersion;
        if (wrong === undefined) throw new Error(`${suite}: needs samples.wrongVersion`);
        const result = await read(wrong);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors[0]?.message).toMatch(/version|not supported/i);
      }),
    'reads a large document': () =>
      it('reads a large document', async () => {
        expect(await count(samples.document(5_000))).toBe(5_000);
      }),
  };

  describe(suite, () => {
    for (const name of evidenceReaderConformanceCases) if (!skipped.has(name)) cases[name]();
  });
}
