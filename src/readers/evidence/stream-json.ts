import { JSONParser, TokenizerError } from '@streamparser/json';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';

/** A key or index on the way from the document's root to a value. */
export type JsonPath = readonly (string | number)[];

/** The type of a JSON value, as `streamJson` reports where a value starts. */
export type JsonValueKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export type JsonSelection = {
  /**
   * JSONPath-like selectors (`$.runs.*.results.*`) of the values to hand over whole. A selected
   * value is dropped from its parent once handed over, so memory holds one value at a time;
   * select no value inside another selected value.
   */
  paths: readonly string[];
  /** Receives each selected value when it is complete, with its path. May throw (a bug). */
  onValue(value: unknown, path: JsonPath): void;
  /**
   * Receives the path and kind of every value that starts in the document, selected or not, at
   * most `maxDepth` deep (default 3): how a reader learns that `runs[0].results` is `null` or an
   * array without holding the array.
   */
  onStart?: ((path: JsonPath, kind: JsonValueKind) => void) | undefined;
  maxDepth?: number | undefined;
};

/** Characters given to the parser at once. */
const pieceCharacters = 64 * 1024;

/**
 * Parses a JSON document streamed as decoded text (`decodeReport`), handing the selected values
 * over one at a time (`@streamparser/json`), so memory does not grow with the document.
 *
 * Returns a problem for an empty document, a syntax error (line:column, what was unexpected) or
 * a document that ends too early (truncated). Never throws for bad input; rethrows what
 * `onValue` or `onStart` throws.
 */
export async function streamJson(
  text: AsyncIterable<string>,
  selection: JsonSelection,
): Promise<Result<void, Problem>> {
  const parser = new JSONParser({ paths: [...selection.paths], keepStack: false });
  const tracker = new PathTracker(selection.maxDepth ?? 3, selection.onStart);
  const lines = new LineCounter();
  const encoder = new TextEncoder();
  let syntax: { error: Error; atEnd: boolean } | undefined;
  let callbackError: unknown;
  let lastTokenOffset = 0;
  let hasStarted = false;

  parser.onToken = (info) => {
    lastTokenOffset = info.offset;
    hasStarted = true;
    try {
      tracker.onToken(info.token, info.value);
    } catch (error) {
      callbackError ??= error;
    }
  };
  parser.onValue = ({ value, key, stack }) => {
    try {
      const path: (string | number)[] = [];
      for (const item of stack.slice(1)) path.push(item.key as string | number);
      if (key !== undefined) path.push(key);
      selection.onValue(value, path);
    } catch (error) {
      callbackError ??= error;
    }
  };
  parser.onError = (error) => {
    syntax ??= { error, atEnd: false };
  };

  let isFirst = true;
  let held = '';
  const write = (piece: string) => {
    lines.next(piece);
    parser.write(encoder.encode(piece));
    if (callbackError !== undefined) throw callbackError as Error;
  };
  outer: for await (let chunk of text) {
    if (isFirst && chunk !== '') {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      isFirst = false;
    }
    chunk = held + chunk;
    held = '';
    if (isHighSurrogate(chunk.charCodeAt(chunk.length - 1))) {
      held = chunk.slice(-1);
      chunk = chunk.slice(0, -1);
    }
    for (let start = 0; start < chunk.length;) {
      let end = Math.min(chunk.length, start + pieceCharacters);
      if (end < chunk.length && isHighSurrogate(chunk.charCodeAt(end - 1))) end--;
      write(chunk.slice(start, end));
      start = end;
      if (syntax !== undefined) break outer;
    }
  }
  if (held !== '' && syntax === undefined) write(held);
  if (!hasStarted && syntax === undefined) {
    return fail({ message: 'the document is empty (expected JSON)', line: 1, column: 1 });
  }
  if (syntax === undefined && !parser.isEnded) {
    parser.end();
    if (syntax !== undefined) (syntax as { atEnd: boolean }).atEnd = true;
  }
  if (callbackError !== undefined) throw callbackError as Error;
  if (syntax === undefined) return ok(undefined);
  const found: { error: Error; atEnd: boolean } = syntax;
  if (found.atEnd) {
    return fail({
      message:
        'invalid JSON: the document ends too early (an unclosed object, array or string; is the file truncated?)',
      ...lines.end(),
    });
  }
  const refused =
    found.error instanceof TokenizerError
      ? /absolute position "(\d+)"/.exec(found.error.message)?.[1]
      : undefined;
  const offset = refused === undefined ? lastTokenOffset : Number(refused);
  return fail({ message: `invalid JSON: ${firstLine(found.error.message)}`, ...lines.at(offset) });
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/^Unexpected /, 'unexpected ');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Line and column (1-based, columns in UTF-16 code units) of a UTF-8 byte offset, keeping only
 * the last pieces of text (an error is always near the end of what was given).
 */
class LineCounter {
  #pieces: { start: number; text: string; bytes: number; line: number; column: number }[] = [];
  #bytes = 0;
  #line = 1;
  #column = 1;

  next(text: string): void {
    const bytes = Buffer.byteLength(text, 'utf8');
    this.#pieces.push({ start: this.#bytes, text, bytes, line: this.#line, column: this.#column });
    if (this.#pieces.length > 2) this.#pieces.shift();
    this.#bytes += bytes;
    const last = text.lastIndexOf('\n');
    if (last === -1) this.#column += text.length;
    else {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#line++;
      this.#column = text.length - last;
    }
  }

  end(): { line: number; column: number } {
    return { line: this.#line, column: this.#column };
  }

  at(offset: number): { line: number; column: number } {
    const piece = this.#pieces.findLast((p) => p.start <= offset) ?? this.#pieces[0];
    if (piece === undefined) return { line: 1, column: 1 };
    const bytes = Buffer.from(piece.text, 'utf8');
    const before = bytes.subarray(0, Math.max(0, offset - piece.start)).toString('utf8');
    const newline = before.lastIndexOf('\n');
    let line = piece.line;
    for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
    return {
      line,
      column: newline === -1 ? piece.column + before.length : before.length - newline,
    };
  }
}

type Frame = { kind: 'object' | 'array'; key: string | number | undefined; expectsKey: boolean };

/** Follows the token stream to know the path of each value as it starts. */
class PathTracker {
  readonly #maxDepth: number;
  readonly #onStart: JsonSelection['onStart'];
  readonly #frames: Frame[] = [];

  constructor(maxDepth: number, onStart: JsonSelection['onStart']) {
    this.#maxDepth = maxDepth;
    this.#onStart = onStart;
  }

  onToken(token: number, value: unknown): void {
    if (this.#onStart === undefined) return;
    const top = this.#frames.at(-1);
    // Token types of @streamparser/json: 0 { 1 } 2 [ 3 ] 4 : 5 , 6 true 7 false 8 null 9 string 10 number
    switch (token) {
      case 0:
      case 2:
        this.#start(token === 0 ? 'object' : 'array');
        this.#frames.push({
          kind: token === 0 ? 'object' : 'array',
          key: token === 0 ? undefined : 0,
          expectsKey: token === 0,
        });
        return;
      case 1:
      case 3:
        this.#frames.pop();
        return;
      case 5:
        if (top?.kind === 'object') top.expectsKey = true;
        else if (top !== undefined && typeof top.key === 'number') top.key++;
        return;
      case 4:
        return;
      case 9:
        if (top?.kind === 'object' && top.expectsKey) {
          top.key = value as string;
          top.expectsKey = false;
          return;
        }
        this.#start('string');
        return;
      default:
        this.#start(token === 10 ? 'number' : token === 8 ? 'null' : 'boolean');
    }
  }

  #start(kind: JsonValueKind): void {
    if (this.#frames.length > this.#maxDepth) return;
    const path = this.#frames.map((frame) => frame.key as string | number);
    this.#onStart?.(path, kind);
  }
}
