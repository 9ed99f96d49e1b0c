import { describe, expect, it } from 'vitest';
import { decodeReport, InvalidBytesError, type OpenBytes } from './decode-report.ts';

const chunked = (bytes: Uint8Array, size: number): OpenBytes =>
  async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  };

async function decodeAll(bytes: Uint8Array, size = 64 * 1024) {
  const decoded = await decodeReport(chunked(bytes, size));
  if (!decoded.ok) return { problem: decoded.errors[0] };
  const parts: string[] = [];
  try {
    for await (const text of decoded.value.text) parts.push(text);
  } catch (error) {
    if (error instanceof InvalidBytesError) return { problem: error.problem };
    throw error;
  }
  return {
    text: parts.join(''),
    encoding: decoded.value.encoding,
    source: decoded.value.encodingSource,
  };
}

const xml = (label: string, quote = '"') =>
  `<?xml version="1.0" encoding=${quote}${label}${quote} standalone="yes"?>\n<testsuite/>`;

describe('decodeReport', () => {
  it.each([
    ['a UTF-8 byte order mark', Buffer.from('\uFEFF<a/>'), 'utf-8', 'byte order mark'],
    [
      'a UTF-16LE byte order mark',
      Buffer.from('\uFEFF<a/>', 'utf16le'),
      'utf-16le',
      'byte order mark',
    ],
    [
      'a UTF-16BE byte order mark',
      Buffer.from('\uFEFF<a/>', 'utf16le').swap16(),
      'utf-16be',
      'byte order mark',
    ],
    ['"<" then a zero byte', Buffer.from('<a/>', 'utf16le'), 'utf-16le', 'utf-16 pattern'],
    ['a zero byte then "{"', Buffer.from('{}', 'utf16le').swap16(), 'utf-16be', 'utf-16 pattern'],
    ['a declaration', Buffer.from(xml('ISO-8859-1')), 'windows-1252', 'xml declaration'],
    [
      'a declaration in single quotes, any case',
      Buffer.from(xml('koi8-R', "'")),
      'koi8-r',
      'xml declaration',
    ],
    ['a declaration of UTF-8', Buffer.from(xml('utf-8')), 'utf-8', 'xml declaration'],
    ['nothing else', Buffer.from('{"a": 1}'), 'utf-8', 'default'],
    [
      'a declaration without encoding',
      Buffer.from('<?xml version="1.0"?><a/>'),
      'utf-8',
      'default',
    ],
  ])('chooses the encoding from %s', async (_name, bytes, encoding, source) => {
    const decoded = await decodeAll(bytes);
    expect(decoded).toMatchObject({ encoding, source });
    expect(decoded.text).not.toMatch(/^\uFEFF/);
  });

  it('lets the byte order mark win over a declaration that disagrees', async () => {
    const decoded = await decodeAll(
      Buffer.from(`\uFEFF${xml('ISO-8859-1')}`.replace('/>', ' name="é"/>')),
    );
    expect(decoded).toMatchObject({ encoding: 'utf-8', source: 'byte order mark' });
    expect(decoded.text).toContain('name="é"');
  });

  it.each([
    ['an unknown label', xml('x-klingon'), /^unknown encoding "x-klingon" in the XML declaration/],
    ['UTF-16 on single-byte text', xml('UTF-16'), /says "UTF-16", but the file is not UTF-16/],
    ['an encoding that decodes to nothing', xml('ISO-2022-KR'), /^unknown encoding "ISO-2022-KR"/],
  ])('refuses %s, pointing at the label', async (_name, text, message) => {
    const { problem } = await decodeAll(Buffer.from(text));
    expect(problem?.message).toMatch(message);
    expect(problem).toMatchObject({ line: 1, column: text.indexOf('encoding=') + 11 });
  });

  it('points at a label on a later line of the declaration', async () => {
    const { problem } = await decodeAll(
      Buffer.from('<?xml version="1.0"\n   encoding="nope"?>\n<a/>'),
    );
    expect(problem).toMatchObject({ line: 2, column: 14 });
  });

  it('refuses UTF-32', async () => {
    const { problem } = await decodeAll(Buffer.from([0xff, 0xfe, 0, 0, 0x3c, 0, 0, 0]));
    expect(problem?.message).toMatch(/^UTF-32 is not supported/);
  });

  it('decodes characters split across chunks whatever the chunk size', async () => {
    const text = 'ab\né€𝄞\r\nz'.repeat(50);
    for (const size of [1, 2, 3, 5, 7]) {
      expect((await decodeAll(Buffer.from(text), size)).text).toBe(text);
      expect((await decodeAll(Buffer.from(`\uFEFF${text}`, 'utf16le'), size)).text).toBe(text);
    }
  });

  it('names the byte offset, line and column of the first invalid sequence whatever the chunk size', async () => {
    const before = 'ab\n€€€€\n  x';
    const bytes = Buffer.concat([
      Buffer.from(before),
      Buffer.from([0xf0, 0x9f, 0x41]),
      Buffer.from('\nrest'),
    ]);
    for (const size of [1, 2, 3, 4, 5, 9, 1024]) {
      const { problem } = await decodeAll(bytes, size);
      expect(problem).toEqual({
        message:
          'invalid UTF-8 at byte 19: bytes F0 9F 41 are not a character: the report must be UTF-8, or an XML report must declare its encoding (<?xml version="1.0" encoding="…"?>)',
        line: 3,
        column: 4,
      });
    }
  });

  it('counts the position after a byte order mark', async () => {
    const { problem } = await decodeAll(Buffer.from([0xef, 0xbb, 0xbf, 0xff, 0x41]), 1);
    expect(problem).toMatchObject({ line: 1, column: 1 });
    expect(problem?.message).toMatch(/^invalid UTF-8 at byte 3: bytes FF /);
  });

  it('refuses a file that ends inside a character', async () => {
    const { problem } = await decodeAll(Buffer.from([0x7b, 0x0a, 0x41, 0xe2, 0x82]), 2);
    expect(problem).toMatchObject({ line: 2, column: 2 });
    expect(problem?.message).toMatch(
      /^invalid UTF-8 at byte 3: the file ends inside a character \(bytes E2 82\)/,
    );
  });

  it('refuses an unpaired surrogate in UTF-16', async () => {
    const bytes = Buffer.from('\uFEFF<a name="xy"/>', 'utf16le');
    bytes.writeUInt16LE(0xd800, 2 + 2 * '<a name="'.length); // a lead surrogate, then "y"
    const { problem } = await decodeAll(bytes, 3);
    expect(problem).toMatchObject({ line: 1, column: 10 });
    expect(problem?.message).toMatch(/^invalid UTF-16LE at byte 20: bytes 00 D8 79 00/);
  });

  it('says a file of a byte order mark and whitespace is empty', async () => {
    const decoded = await decodeReport(chunked(Buffer.from('\uFEFF \n'), 1));
    expect(decoded.ok && decoded.value.isEmpty).toBe(true);
    const notEmpty = await decodeReport(chunked(Buffer.from(`${' '.repeat(2_000)}x`), 4096));
    expect(notEmpty.ok && notEmpty.value.isEmpty).toBe(false);
  });
});
