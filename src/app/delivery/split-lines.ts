/** One line of a byte stream, numbered from 1: its text, or how long it was when too long. */
export type SplitLine =
  | { kind: 'line'; number: number; text: string }
  | { kind: 'too-long'; number: number; bytes: number }
  | { kind: 'invalid-utf8'; number: number };

/**
 * Splits a byte stream into lines, pulling a chunk only when the caller asks for the next line.
 * A line ends at LF; a CR before it is dropped; the last line needs no final LF. A line longer
 * than `maxLineBytes` (its bytes without the line ending) is not buffered: its first
 * `maxLineBytes` bytes are dropped as soon as the limit is passed, the rest is only counted, and
 * it comes out as `too-long` with its full length, so the next line keeps its number. Lines are
 * decoded as UTF-8 whole, so a character split across chunks is safe; a line that is not valid
 * UTF-8 comes out as `invalid-utf8`; a byte order mark at the start of a line is dropped. String
 * chunks are encoded as UTF-8 first. The source may reuse a chunk's buffer once the next chunk is
 * pulled (what must outlive it is copied). Throws only what the source throws.
 */
export async function* splitLines(
  source: AsyncIterable<Uint8Array | string>,
  options: { maxLineBytes: number },
): AsyncGenerator<SplitLine, void, undefined> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const { maxLineBytes } = options;
  // The current line: its kept pieces (one byte more than the limit, for a CR before the LF),
  // its length so far, and its last byte.
  let parts: Uint8Array[] = [];
  let length = 0;
  let last: number | undefined;
  let number = 0;

  // `copy`: the piece outlives this chunk, whose buffer the source may reuse. (A Buffer's
  // slice() shares memory, so copy through the Uint8Array constructor.)
  const take = (piece: Uint8Array, copy: boolean): void => {
    if (piece.length === 0) return;
    length += piece.length;
    last = piece[piece.length - 1];
    if (length <= maxLineBytes + 1) parts.push(copy ? new Uint8Array(piece) : piece);
    else parts = [];
  };
  const end = (): SplitLine => {
    number++;
    const bytes = last === 0x0d ? length - 1 : length;
    let line: SplitLine;
    if (bytes > maxLineBytes) {
      line = { kind: 'too-long', number, bytes };
    } else {
      const kept = parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts, length);
      try {
        line = { kind: 'line', number, text: decoder.decode(kept.subarray(0, bytes)) };
      } catch {
        line = { kind: 'invalid-utf8', number };
      }
    }
    parts = [];
    length = 0;
    last = undefined;
    return line;
  };

  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    let start = 0;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, start)) {
      take(bytes.subarray(start, at), false);
      yield end();
      start = at + 1;
    }
    take(bytes.subarray(start), true);
  }
  if (length > 0) yield end();
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
