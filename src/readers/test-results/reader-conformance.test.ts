import { describe, expect, it } from 'vitest';
import { finalStatus } from '../../core/tests/final-status.ts';
import { readBytes } from '../../testing/read-bytes.ts';
import { readText } from '../../testing/read-text.ts';
import { detectFormat, readers, type ReportFormat } from './test-result-readers.ts';

type Sample = {
  /** A valid document with `count` tests: odd ones pass, even ones fail, the third is skipped. */
  document(count: number): string;
  /** A valid document of a few lines with one failing test whose name is `name`, written raw. */
  named(name: string): string;
  /**
   * The same, declaring its encoding with `label` inside the document; undefined for a format
   * that cannot (JSON is UTF-8, RFC 8259).
   */
  declaring: ((label: string, name: string) => string) | undefined;
};

/** One entry per reader: adding a reader without a sample here fails type-checking. */
const samples: Record<ReportFormat, Sample> = {
  junit: {
    document: (count) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="s">\n${Array.from(
        { length: count },
        (_, i) =>
          i === 2
            ? `<testcase classname="c" name="t${i}"><skipped/></testcase>`
            : i % 2 === 1
              ? `<testcase classname="c" name="t${i}" time="0.5">\n<failure message="m${i}">trace\nline 2</failure>\n</testcase>`
              : `<testcase classname="c" name="t${i}" time="0.25"/>`,
      ).join('\n')}\n</testsuite>\n</testsuites>\n`,
    named: (name) =>
      `<testsuite name="s">\n<testcase classname="c" name="${name}">\n<failure message="m"/>\n</testcase>\n</testsuite>\n`,
    declaring: (label, name) =>
      `<?xml version="1.0" encoding="${label}"?>\n<testsuite name="s">\n<testcase classname="c" name="${name}">\n<failure message="m"/>\n</testcase>\n</testsuite>\n`,
  },
  ctrf: {
    document: (count) =>
      JSON.stringify(
        {
          reportFormat: 'CTRF',
          specVersion: '1.0.0',
          results: {
            tool: { name: 'conformance' },
            tests: Array.from({ length: count }, (_, i) => ({
              name: `t${i}`,
              filePath: 'c',
              status: i === 2 ? 'skipped' : i % 2 === 1 ? 'failed' : 'passed',
              duration: i % 2 === 1 ? 500 : 250,
              ...(i % 2 === 1 ? { message: `m${i}`, trace: 'trace\nline 2' } : {}),
            })),
          },
        },
        null,
        2,
      ),
    named: (name) =>
      `{\n  "results": {\n    "tool": { "name": "conformance" },\n    "tests": [\n      { "name": "${name}", "status": "failed", "duration": 1, "message": "m" }\n    ]\n  }\n}\n`,
    declaring: undefined,
  },
};

/** UTF-16 bytes of `text`, little- or big-endian, with or without a byte order mark. */
function utf16(text: string, endian: 'le' | 'be', withBom: boolean): Buffer {
  const bytes = Buffer.from(`${withBom ? '\uFEFF' : ''}${text}`, 'utf16le');
  return endian === 'le' ? bytes : bytes.swap16();
}

/** Line and column (1-based) of the first `marker` in `text`. */
function positionOf(text: string, marker: string): { line: number; column: number } {
  const before = text.slice(0, text.indexOf(marker));
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

const formats = Object.keys(readers) as ReportFormat[];

describe.each(formats)('reader conformance: %s', (format) => {
  const reader = readers[format];
  const sample = samples[format];

  const statuses = async (text: string, chunkSize?: number) => {
    const result = await readText(reader, text, chunkSize);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.value.map((t) => [t.name, finalStatus(t.attempts)]);
  };

  it('reads a valid document', async () => {
    expect(await statuses(sample.document(4))).toEqual([
      ['t0', 'passed'],
      ['t1', 'failed'],
      ['t2', 'skipped'],
      ['t3', 'failed'],
    ]);
  });

  it('is detected from its content', () => {
    expect(detectFormat(sample.document(1))).toBe(format);
    expect(detectFormat(`\uFEFF${sample.document(1)}`)).toBe(format);
  });

  it.each([
    ['empty', ''],
    ['whitespace only', '  \n\t\n'],
    ['garbage', '\u0000\u0001garbage ]]> }{ not a report'],
  ])('returns a problem, never throws, for %s input', async (_name, text) => {
    const result = await readText(reader, text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toBeTruthy();
  });

  it('returns a problem with a position for a truncated document', async () => {
    const text = sample.document(6);
    const result = await readText(reader, text.slice(0, Math.floor(text.length / 2)));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.line).toBeGreaterThan(1);
  });

  it('ignores a byte order mark', async () => {
    expect(await statuses(`\uFEFF${sample.document(4)}`)).toEqual(
      await statuses(sample.document(4)),
    );
  });

  it('reads CRLF line endings the same, keeping messages', async () => {
    const crlf = sample.document(4).replace(/\n/g, '\r\n');
    expect(await statuses(crlf)).toEqual(await statuses(sample.document(4)));
    const result = await readText(reader, crlf);
    if (result.ok) expect(result.value[1]?.attempts[0]?.message).toBe('m1');
  });

  it('gives the same result whatever the chunk boundaries', async () => {
    expect(await statuses(sample.document(5), 3)).toEqual(await statuses(sample.document(5)));
  });

  const names = async (bytes: Uint8Array, chunkSize?: number) => {
    const result = await readBytes(bytes, chunkSize === undefined ? {} : { chunkSize });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.format).toBe(format);
    return result.value.map((t) => t.name);
  };

  it.each([
    ['UTF-16LE with a byte order mark', 'le', true],
    ['UTF-16BE with a byte order mark', 'be', true],
    ['UTF-16LE without a byte order mark', 'le', false],
    ['UTF-16BE without a byte order mark', 'be', false],
  ] as const)('decodes %s', async (_name, endian, withBom) => {
    // An odd chunk size splits code units and the surrogate pair of 𝄞 across chunks.
    expect(await names(utf16(sample.named('café ✓ 𝄞'), endian, withBom), 7)).toEqual(['café ✓ 𝄞']);
  });

  it('reads UTF-8 with a byte order mark and CRLF line endings like plain UTF-8', async () => {
    const plain = sample.document(4);
    const bytes = Buffer.from(`\uFEFF${plain.replace(/\n/g, '\r\n')}`);
    const result = await readBytes(bytes, { chunkSize: 5 });
    const expected = await readText(reader, plain);
    expect(result.ok && result.value.map((t) => [t.name, finalStatus(t.attempts)])).toEqual(
      expected.ok && expected.value.map((t) => [t.name, finalStatus(t.attempts)]),
    );
  });

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
  });

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
      expect(result.errors[0]).toMatchObject(positionOf(text, 't2999'));
      expect(result.errors[0]?.message).toContain(
        `at byte ${Buffer.byteLength(text.slice(0, cut))}:`,
      );
    }
  });

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
  });

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
  });

  it.skipIf(sample.declaring === undefined)(
    'decodes the encoding its document declares (ISO-8859-1, windows-1252, Shift_JIS)',
    async () => {
      const declaring = sample.declaring!;
      const latin1 = Buffer.from(declaring('ISO-8859-1', 'café'), 'latin1');
      expect(await names(latin1, 3)).toEqual(['café']);
      // 0x80 is € in windows-1252 (and in ISO-8859-1 as the WHATWG Encoding Standard reads it).
      const cp1252 = Buffer.from(declaring('windows-1252', 'price X'), 'latin1');
      cp1252[cp1252.indexOf('X')] = 0x80;
      expect(await names(cp1252)).toEqual(['price €']);
      const sjis = Buffer.concat([
        Buffer.from(declaring('Shift_JIS', 'X').split('X')[0]!),
        Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67]), // テスト
        Buffer.from(declaring('Shift_JIS', 'X').split('X')[1]!),
      ]);
      expect(await names(sjis, 1)).toEqual(['テスト']);
    },
  );

  it.skipIf(sample.declaring === undefined)(
    'refuses an encoding label it does not know, naming it',
    async () => {
      const result = await readBytes(Buffer.from(sample.declaring!('x-klingon', 'a')));
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.errors[0]?.message).toMatch(/unknown encoding "x-klingon"/);
        expect(result.errors[0]).toMatchObject({ line: 1 });
      }
    },
  );

  it.skipIf(sample.declaring === undefined)(
    'refuses bytes that are invalid in the declared encoding',
    async () => {
      const text = sample.declaring!('Shift_JIS', 'X');
      const bytes = Buffer.from(text);
      bytes[text.indexOf('X')] = 0xa0; // not a Shift_JIS byte
      const result = await readBytes(bytes);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.errors[0]).toMatchObject(positionOf(text, 'X'));
        expect(result.errors[0]?.message).toMatch(/^invalid shift_jis at byte \d+: bytes A0/);
      }
    },
  );

  it('reads a large document completely', async () => {
    const result = await readText(reader, sample.document(50_000));
    expect(result.ok && result.value.length).toBe(50_000);
  });
});
