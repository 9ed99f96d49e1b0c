import { fail, ok, type Result } from '../../core/lib/result.ts';
import type { ReadProblem } from './test-result-reader.ts';

/** Opens a report's bytes from the start. Called again only to locate an invalid byte. */
export type OpenBytes = () => AsyncIterable<Uint8Array>;

/** How the encoding of a report was chosen (docs/adr/0004, "Encodings"). */
export type EncodingSource = 'default' | 'byte order mark' | 'utf-16 pattern' | 'xml declaration';

export type DecodedReport = {
  /** The WHATWG name of the encoding: `utf-8`, `utf-16le`, `windows-1252`, `shift_jis`, ... */
  encoding: string;
  encodingSource: EncodingSource;
  /** The first characters (about 1 KiB of bytes, decoded leniently, BOM removed): enough to detect the format. */
  head: string;
  /** True when the report has no bytes, or only a BOM and whitespace. */
  isEmpty: boolean;
  /**
   * The whole text, decoded strictly (`fatal: true`), in chunks of at most 256 KiB of bytes.
   * Iterate once. Throws `InvalidBytesError` at the first byte sequence that is not a character.
   */
  text: AsyncIterable<string>;
};

/** Thrown by `DecodedReport.text` when the bytes are not valid in the report's encoding. */
export class InvalidBytesError extends Error {
  readonly problem: ReadProblem;
  constructor(problem: ReadProblem) {
    super(problem.message);
    this.problem = problem;
  }
}

/** Bytes read before choosing the encoding; an XML declaration is far shorter. */
const sniffBytes = 1_024;
/** No character is longer than this in any encoding TextDecoder knows (GB18030, UTF-8: 4). */
const maxSequenceBytes = 4;

/**
 * Decodes a report's bytes into text, the one decoding step every reader shares.
 *
 * The encoding is, in order: the byte order mark (UTF-8, UTF-16LE, UTF-16BE); UTF-16 without
 * one when the document starts with `<` or `{` followed or preceded by a zero byte; the
 * `encoding` of an XML declaration (any label TextDecoder knows, e.g. `ISO-8859-1`, which the
 * WHATWG Encoding Standard reads as windows-1252); else UTF-8, which JSON must be (RFC 8259).
 * Text is decoded with `fatal: true`: an invalid byte is an error with its line:column and
 * byte offset, never a silent U+FFFD.
 *
 * Returns a problem for an encoding that cannot be used (an unknown label, UTF-32, a declaration
 * of UTF-16 on single-byte text). Throws only what `open` throws.
 */
export async function decodeReport(open: OpenBytes): Promise<Result<DecodedReport, ReadProblem>> {
  const iterator = open()[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let sniffed = 0;
  let isDone = false;
  while (sniffed < sniffBytes) {
    const next = await iterator.next();
    if (next.done) {
      isDone = true;
      break;
    }
    if (next.value.length === 0) continue;
    first.push(next.value);
    sniffed += next.value.length;
  }
  const head = concat(first, sniffBytes);
  const chosen = chooseEncoding(head);
  if (!chosen.ok) return chosen;
  const { encoding, source } = chosen.value;
  const headText = new TextDecoder(encoding).decode(head, { stream: true });
  const isEmpty =
    isDone &&
    headText.trim() === '' &&
    (sniffed <= sniffBytes ||
      new TextDecoder(encoding).decode(concat(first, sniffed)).trim() === '');
  return ok({
    encoding,
    encodingSource: source,
    head: headText,
    isEmpty,
    text: decodeStrictly(open, encoding, source, first, isDone ? undefined : iterator),
  });
}

function chooseEncoding(
  bytes: Uint8Array,
): Result<{ encoding: string; source: EncodingSource }, ReadProblem> {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf)
    return ok({ encoding: 'utf-8', source: 'byte order mark' });
  if (
    (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) ||
    (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)
  ) {
    return fail({
      message: 'UTF-32 is not supported: convert the report to UTF-8',
      line: 1,
      column: 1,
    });
  }
  if (b0 === 0xff && b1 === 0xfe) return ok({ encoding: 'utf-16le', source: 'byte order mark' });
  if (b0 === 0xfe && b1 === 0xff) return ok({ encoding: 'utf-16be', source: 'byte order mark' });
  const isStart = (byte: number | undefined) => byte === 0x3c || byte === 0x7b; // "<" or "{"
  if (isStart(b0) && b1 === 0) return ok({ encoding: 'utf-16le', source: 'utf-16 pattern' });
  if (b0 === 0 && isStart(b1)) return ok({ encoding: 'utf-16be', source: 'utf-16 pattern' });
  return declaredEncoding(bytes);
}

/** The `encoding` of an XML declaration at the very start, read as ASCII (XML 1.0 §4.3.3). */
function declaredEncoding(
  bytes: Uint8Array,
): Result<{ encoding: string; source: EncodingSource }, ReadProblem> {
  const ascii = new TextDecoder('windows-1252').decode(bytes);
  const declaration = /^<\?xml[ \t\r\n][^>]*?\bencoding[ \t\r\n]*=[ \t\r\n]*(["'])([^"'>]*)\1/.exec(
    ascii,
  );
  const label = declaration?.[2];
  if (label === undefined) return ok({ encoding: 'utf-8', source: 'default' });
  // The declaration starts the text (index 0): the label ends just before its closing quote.
  const before = ascii.slice(0, (declaration?.[0].length ?? 0) - 1 - label.length);
  const where = {
    line: before.split('\n').length,
    column: before.length - before.lastIndexOf('\n'),
  };
  let encoding: string;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch {
    return fail({
      message: `unknown encoding "${label}" in the XML declaration (expected a label TextDecoder supports, such as UTF-8, ISO-8859-1 or windows-1252)`,
      ...where,
    });
  }
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    return fail({
      message: `the XML declaration says "${label}", but the file is not UTF-16 (no byte order mark, one byte per character): fix the declaration or the encoding`,
      ...where,
    });
  }
  return ok({ encoding, source: 'xml declaration' });
}

async function* decodeStrictly(
  open: OpenBytes,
  encoding: string,
  source: EncodingSource,
  first: Uint8Array[],
  rest: AsyncIterator<Uint8Array> | undefined,
): AsyncIterable<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  const decode = async (bytes: Uint8Array | undefined): Promise<string> => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      const range = { from: offset, to: offset + (bytes?.length ?? 0) };
      throw new InvalidBytesError(await locateInvalidBytes(open, encoding, source, range));
    }
  };
  for (const bytes of first) {
    const text = await decode(bytes);
    offset += bytes.length;
    if (text !== '') yield text;
  }
  if (rest) {
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      const text = await decode(next.value);
      offset += next.value.length;
      if (text !== '') yield text;
    }
  }
  const text = await decode(undefined);
  if (text !== '') yield text;
}

/**
 * Finds the first invalid byte sequence in the chunk that failed (bytes `from` to `to`): decodes
 * the report again up to there, then one byte at a time, since a TextDecoder neither says where
 * it failed nor can be copied. Only runs when a report is refused.
 */
async function locateInvalidBytes(
  open: OpenBytes,
  encoding: string,
  source: EncodingSource,
  { from, to }: { from: number; to: number },
): Promise<ReadProblem> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const slowFrom = Math.max(0, from - maxSequenceBytes);
  let line = 1;
  let column = 1;
  const advance = (text: string) => {
    let newline = text.indexOf('\n');
    if (newline === -1) {
      column += text.length;
      return;
    }
    let last = newline;
    for (; newline !== -1; newline = text.indexOf('\n', newline + 1)) {
      line++;
      last = newline;
    }
    column = text.length - last;
  };
  let offset = 0;
  // TextDecoder drops a byte order mark without output: the first character starts after it.
  const bomBytes = source !== 'byte order mark' ? 0 : encoding === 'utf-8' ? 3 : 2;
  let sequenceStart = Math.max(slowFrom, bomBytes);
  let pending: number[] = [];
  const problem = (bytes: number[], isAtEnd: boolean): ReadProblem => ({
    message: invalidBytesMessage(encoding, source, sequenceStart, bytes, isAtEnd),
    line,
    column,
  });
  const changed = (): ReadProblem => ({
    // The bytes changed between two reads (a file rewritten while being read).
    message: `invalid ${displayName(encoding)} at or after byte ${from}`,
    line,
    column,
  });
  for await (const chunk of open()) {
    if (offset >= to && to > from) return changed();
    let i = 0;
    if (offset < slowFrom) {
      i = Math.min(chunk.length, slowFrom - offset);
      advance(decoder.decode(chunk.subarray(0, i), { stream: true }));
    }
    for (; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      let text: string;
      try {
        text = decoder.decode(chunk.subarray(i, i + 1), { stream: true });
      } catch {
        return problem([...pending, byte], false);
      }
      pending.push(byte);
      if (text !== '' || offset + i + 1 === bomBytes) {
        advance(text);
        sequenceStart = offset + i + 1;
        pending = [];
      }
    }
    offset += chunk.length;
  }
  try {
    advance(decoder.decode());
  } catch {
    return problem(pending, true);
  }
  return changed();
}

function invalidBytesMessage(
  encoding: string,
  source: EncodingSource,
  offset: number,
  bytes: number[],
  isAtEnd: boolean,
): string {
  const hex = bytes
    .slice(0, 6)
    .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
    .join(' ');
  const what = isAtEnd
    ? `the file ends inside a character (bytes ${hex})`
    : `bytes ${hex} are not a character`;
  const hint =
    source === 'default'
      ? ': the report must be UTF-8, or an XML report must declare its encoding (<?xml version="1.0" encoding="…"?>)'
      : source === 'xml declaration'
        ? ' (the encoding its XML declaration names)'
        : '';
  return `invalid ${displayName(encoding)} at byte ${offset}: ${what}${hint}`;
}

function displayName(encoding: string): string {
  return encoding.startsWith('utf-') ? encoding.toUpperCase() : encoding;
}

function concat(chunks: Uint8Array[], limit: number): Uint8Array {
  const total = Math.min(
    limit,
    chunks.reduce((sum, c) => sum + c.length, 0),
  );
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= total) break;
    const part = chunk.subarray(0, total - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}
