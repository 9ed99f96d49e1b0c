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

// What the scanner expects next.
const VALUE = 0; // a value (after `[`, `,` in an array, `:`, or at the start)
const VALUE_OR_END = 1; // a value or `]` (just after `[`)
const KEY_OR_END = 2; // a key or `}` (just after `{`)
const KEY = 3; // a key (after `,` in an object)
const COLON = 4;
const AFTER = 5; // `,` or the container's end
const DONE = 6; // only whitespace
const STRING = 7; // inside a string
const LITERAL = 8; // inside a number, true, false or null

type Frame = { isObject: boolean; key: string | number };

const literal = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)$/;
/** Characters of a string that need no look: anything but `"`, `\` and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON strings refuse
const plainRun = /[^"\\\u0000-\u001f]*/y;
const escapeChars = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * Parses a JSON document streamed as decoded text chunks (`decodeReport`), handing the selected
 * values over one at a time: every character is validated (RFC 8259: structure, strings and
 * their escapes, numbers, literals), but only the selected values are built — their raw text is
 * collected and given to `JSON.parse` (native, fast) — so memory holds one value at a time and
 * a 50 MB file is read several times faster than by a token-by-token parser
 * (`@streamparser/json`, which the first version used: bench part k).
 *
 * Returns a problem for an empty document, a syntax error (line:column, what was unexpected) or
 * a document that ends too early (truncated). Never throws for bad input; rethrows what the
 * callbacks throw.
 */
export async function streamJson(
  text: AsyncIterable<string>,
  selection: JsonSelection,
): Promise<Result<void, Problem>> {
  const selectors = selection.paths.map((path) =>
    path
      .replace(/^\$\.?/, '')
      .split('.')
      .filter((segment) => segment !== ''),
  );
  const longest = Math.max(0, ...selectors.map((s) => s.length));
  const maxDepth = selection.maxDepth ?? 3;
  const frames: Frame[] = [];
  let state = VALUE;
  let isKeyString = false;
  let stringRaw = ''; // the raw text of a key being read
  let escapeLeft = 0; // characters still expected of an escape (1 after `\`, 4 of `\uXXXX`)
  let literalText = '';
  // The selected value being collected: its pieces, and the depth it started at.
  let capture: string[] | undefined;
  let captureDepth = -1;
  let capturePath: (string | number)[] = [];
  // Positions: the line and column where the current chunk starts.
  let line = 1;
  let column = 1;
  let hasStarted = false;
  let chunk = '';
  let pieceStart = 0; // where the capture's piece of this chunk starts

  const path = (): (string | number)[] => frames.map((frame) => frame.key);
  const whereIn = (
    text: string,
    baseLine: number,
    baseColumn: number,
    index: number,
  ): { line: number; column: number } => {
    let l = baseLine;
    let lastNewline = -1;
    for (let n = text.indexOf('\n'); n !== -1 && n < index; n = text.indexOf('\n', n + 1)) {
      l++;
      lastNewline = n;
    }
    return { line: l, column: lastNewline === -1 ? baseColumn + index : index - lastNewline };
  };
  const where = (index: number) => whereIn(chunk, line, column, index);
  // Where the literal being read started (it may span chunks).
  let literalStart = { chunk: '', line: 1, column: 1, index: 0 };
  const literalWhere = () =>
    whereIn(literalStart.chunk, literalStart.line, literalStart.column, literalStart.index);
  const unexpected = (index: number) => {
    const found = chunk[index] ?? '';
    return fail<Problem>({
      message: `invalid JSON: unexpected ${JSON.stringify(found)}`,
      ...where(index),
    });
  };
  const matches = (current: (string | number)[]): boolean =>
    current.length <= longest &&
    selectors.some(
      (selector) =>
        selector.length === current.length &&
        selector.every((segment, i) => segment === '*' || segment === String(current[i])),
    );
  /** A value starts at `index` of the chunk: report it, and start collecting it when selected. */
  const startValue = (
    index: number,
    kind: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null',
  ) => {
    hasStarted = true;
    if (capture !== undefined) return;
    const current = path();
    if (selection.onStart !== undefined && current.length <= maxDepth)
      selection.onStart(current, kind);
    if (matches(current)) {
      capture = [];
      captureDepth = frames.length;
      capturePath = current;
      pieceStart = index;
      captureStart = { chunk, line, column, index };
    }
  };
  // Where the value being collected starts (for an error JSON.parse finds in it).
  let captureStart = { chunk: '', line: 1, column: 1, index: 0 };
  // A selected object or array is collected in the fast mode: only strings and brackets are
  // followed (native searches), JSON.parse checks the rest; its error is then located.
  const fast: FastScan = { depth: 0, isString: false, isEscape: false };
  // Selected values are parsed in batches: one JSON.parse of many small values costs far less
  // than one call each. So onValue may come after onStart of later values.
  let pendingRaw: string[] = [];
  let pendingPaths: (string | number)[][] = [];
  let pendingStarts: (typeof captureStart)[] = [];
  let pendingChars = 0;
  const flush = () => {
    if (pendingRaw.length === 0) return;
    let values: unknown[];
    try {
      values = JSON.parse(`[${pendingRaw.join(',')}]`) as unknown[];
    } catch {
      throw new LocatedProblem(pendingRaw, pendingStarts);
    }
    pendingStarts = [];
    const paths = pendingPaths;
    pendingRaw = [];
    pendingPaths = [];
    pendingChars = 0;
    for (let v = 0; v < values.length; v++) selection.onValue(values[v], paths[v] ?? []);
  };
  /** The value that started at `captureDepth` ended just before `end` of the chunk. */
  const endValue = (end: number) => {
    if (capture === undefined || frames.length !== captureDepth) return;
    capture.push(chunk.slice(pieceStart, end));
    const raw = capture.length === 1 ? (capture[0] ?? '') : capture.join('');
    capture = undefined;
    pendingRaw.push(raw);
    pendingPaths.push(capturePath);
    pendingStarts.push(captureStart);
    pendingChars += raw.length;
    if (pendingChars > 32 * 1024 || pendingRaw.length >= 2_000) flush();
  };
  /** After a value in a container: the key of an array moves on at `,`. */
  const afterValue = () => {
    state = frames.length === 0 ? DONE : AFTER;
  };

  const run = async (): Promise<Result<void, Problem>> => {
    for await (let next of text) {
      if (next === '') continue;
      if (!hasStarted && chunk === '' && next.charCodeAt(0) === 0xfeff) next = next.slice(1);
      chunk = next;
      pieceStart = 0;
      let i = 0;
      const length = chunk.length;
      while (i < length) {
        if (fast.depth > 0) {
          i = scanFast(chunk, i, fast);
          if (fast.depth === 0) {
            afterValue();
            endValue(i);
          }
          continue;
        }
        if (state === STRING) {
          if (escapeLeft > 0) {
            const c = chunk[i] ?? '';
            if (escapeLeft === 5) {
              if (c === 'u') escapeLeft = 4;
              else if (escapeChars.has(c)) escapeLeft = 0;
              else return unexpected(i);
            } else if (/[0-9a-fA-F]/.test(c)) escapeLeft--;
            else return unexpected(i);
            if (isKeyString) stringRaw += c;
            i++;
            continue;
          }
          plainRun.lastIndex = i;
          plainRun.exec(chunk);
          const stop = plainRun.lastIndex;
          if (isKeyString) stringRaw += chunk.slice(i, stop);
          i = stop;
          if (i >= length) break;
          const code = chunk.charCodeAt(i);
          if (code === 0x22) {
            i++;
            if (isKeyString) {
              const key = stringRaw.includes('\\')
                ? (JSON.parse(`"${stringRaw}"`) as string)
                : stringRaw;
              const top = frames.at(-1);
              if (top !== undefined) top.key = key;
              state = COLON;
            } else {
              afterValue();
              endValue(i);
            }
          } else if (code === 0x5c) {
            if (isKeyString) stringRaw += '\\';
            escapeLeft = 5;
            i++;
          } else {
            return fail({
              message: 'invalid JSON: a control character inside a string (escape it)',
              ...where(i),
            });
          }
          continue;
        }
        const code = chunk.charCodeAt(i);
        if (state === LITERAL) {
          // A number or word runs until a delimiter.
          if (
            code === 0x2c ||
            code === 0x5d ||
            code === 0x7d ||
            code === 0x20 ||
            code === 0x0a ||
            code === 0x0d ||
            code === 0x09
          ) {
            if (!literal.test(literalText)) {
              return fail({
                message: `invalid JSON: unexpected ${JSON.stringify(literalText)}`,
                ...literalWhere(),
              });
            }
            afterValue();
            endValue(i);
            continue; // the delimiter is read in the new state
          }
          literalText += chunk[i] ?? '';
          if (literalText.length > 400) return unexpected(i);
          i++;
          continue;
        }
        // Whitespace between tokens.
        if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) {
          i++;
          continue;
        }
        switch (state) {
          case VALUE:
          case VALUE_OR_END: {
            if (code === 0x5d && state === VALUE_OR_END) {
              frames.pop();
              i++;
              afterValue();
              endValue(i);
              continue;
            }
            if (code === 0x7b || code === 0x5b) {
              const wasCapturing = capture !== undefined;
              startValue(i, code === 0x7b ? 'object' : 'array');
              if (!wasCapturing && capture !== undefined) {
                fast.depth = 1;
                fast.isString = false;
                fast.isEscape = false;
                i++;
                continue;
              }
              frames.push({ isObject: code === 0x7b, key: code === 0x7b ? '' : 0 });
              state = code === 0x7b ? KEY_OR_END : VALUE_OR_END;
              i++;
              continue;
            }
            if (code === 0x22) {
              startValue(i, 'string');
              state = STRING;
              isKeyString = false;
              i++;
              continue;
            }
            if (
              code === 0x2d ||
              (code >= 0x30 && code <= 0x39) ||
              code === 0x74 ||
              code === 0x66 ||
              code === 0x6e
            ) {
              startValue(
                i,
                code === 0x74 || code === 0x66 ? 'boolean' : code === 0x6e ? 'null' : 'number',
              );
              state = LITERAL;
              literalText = '';
              literalStart = { chunk, line, column, index: i };
              continue;
            }
            return unexpected(i);
          }
          case KEY_OR_END:
          case KEY: {
            if (code === 0x7d && state === KEY_OR_END) {
              frames.pop();
              i++;
              afterValue();
              endValue(i);
              continue;
            }
            if (code !== 0x22) return unexpected(i);
            state = STRING;
            isKeyString = true;
            stringRaw = '';
            i++;
            continue;
          }
          case COLON:
            if (code !== 0x3a) return unexpected(i);
            state = VALUE;
            i++;
            continue;
          case AFTER: {
            const top = frames.at(-1);
            if (top === undefined) return unexpected(i);
            if (code === 0x2c) {
              if (typeof top.key === 'number') top.key++;
              state = top.isObject ? KEY : VALUE;
              i++;
              continue;
            }
            if ((code === 0x7d && top.isObject) || (code === 0x5d && !top.isObject)) {
              frames.pop();
              i++;
              afterValue();
              endValue(i);
              continue;
            }
            return unexpected(i);
          }
          default:
            return fail({
              message: `invalid JSON: unexpected ${JSON.stringify(chunk[i] ?? '')} after the end of the document`,
              ...where(i),
            });
        }
      }
      if (capture !== undefined) capture.push(chunk.slice(pieceStart));
      // Where the next chunk starts.
      const lastNewline = chunk.lastIndexOf('\n');
      if (lastNewline === -1) column += chunk.length;
      else {
        for (let n = chunk.indexOf('\n'); n !== -1; n = chunk.indexOf('\n', n + 1)) line++;
        column = chunk.length - lastNewline;
      }
    }
    chunk = '';
    if (state === LITERAL && frames.length === 0) {
      if (!literal.test(literalText)) {
        return fail({
          message: `invalid JSON: unexpected ${JSON.stringify(literalText)}`,
          ...literalWhere(),
        });
      }
      state = DONE;
      endValue(0);
    }
    flush();
    if (!hasStarted)
      return fail({ message: 'the document is empty (expected JSON)', line: 1, column: 1 });
    if (state !== DONE) {
      return fail({
        message:
          'invalid JSON: the document ends too early (an unclosed object, array or string; is the file truncated?)',
        line,
        column,
      });
    }
    return ok(undefined);
  };
  try {
    const result = await run();
    // A problem found later in the document comes after one in a value not yet parsed.
    if (!result.ok) flush();
    return result;
  } catch (error) {
    if (error instanceof LocatedProblem) return fail(await error.locate());
    throw error;
  }
}

/** Where the fast mode of a selected object or array is: its depth, inside a string, after a backslash. */
type FastScan = { depth: number; isString: boolean; isEscape: boolean };

/**
 * The fast mode over `text` from `from`: only strings and brackets are followed (a string is
 * skipped to its closing quote by native search), until the selected value's closing bracket
 * (returns the index after it, `state.depth` 0) or the chunk's end (returns its length). A plain
 * function with the state in locals while it runs: inside the async loop over chunks, closure
 * variables were loaded and stored at every character.
 */
function scanFast(text: string, from: number, state: FastScan): number {
  const length = text.length;
  let depth = state.depth;
  let isString = state.isString;
  let isEscape = state.isEscape;
  let i = from;
  for (; i < length; i++) {
    if (isEscape) {
      isEscape = false;
      continue;
    }
    if (isString) {
      // `i` is an escape boundary: just after the opening quote, after an escape's character,
      // or at a chunk's start with no escape pending.
      const start = i;
      i = skipString(text, start);
      if (i === length) {
        isEscape = endsInEscape(text, start, length);
        break;
      }
      isString = false;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === 0x22) isString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) {
      i++;
      break;
    }
  }
  state.depth = depth;
  state.isString = isString;
  state.isEscape = isEscape;
  return i;
}

/**
 * Inside a string of `text`, at `from` (an escape boundary: not just after a `\` that starts an
 * escape), the index of its closing quote, or `text.length` when the string goes on past the
 * chunk. A quote is escaped when an odd run of backslashes precedes it (each escape is a
 * backslash and one character, so a run starting at a boundary pairs up). Checks nothing else:
 * the value is given to JSON.parse, which does.
 */
function skipString(text: string, from: number): number {
  let at = from;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote === -1) return text.length;
    let k = quote - 1;
    while (k >= from && text.charCodeAt(k) === 0x5c) k--;
    if ((quote - 1 - k) % 2 === 0) return quote;
    at = quote + 1;
  }
}

/** True when `text[from, end)`, inside a string from an escape boundary, ends in a `\` that starts an escape. */
function endsInEscape(text: string, from: number, end: number): boolean {
  let k = end - 1;
  while (k >= from && text.charCodeAt(k) === 0x5c) k--;
  return (end - 1 - k) % 2 === 1;
}

/**
 * A batch of selected values JSON.parse refused: finds the value at fault and the place in the
 * document, by validating that value alone with the scanner (the slow path, only on error).
 */
class LocatedProblem extends Error {
  readonly #raws: readonly string[];
  readonly #starts: readonly { chunk: string; line: number; column: number; index: number }[];
  constructor(
    raws: readonly string[],
    starts: readonly { chunk: string; line: number; column: number; index: number }[],
  ) {
    super('invalid JSON in a selected value');
    this.#raws = raws;
    this.#starts = starts;
  }

  async locate(): Promise<Problem> {
    for (let v = 0; v < this.#raws.length; v++) {
      const raw = this.#raws[v] ?? '';
      const start = this.#starts[v];
      const inside = await streamJson(
        (async function* () {
          yield raw;
        })(),
        { paths: [], onValue: () => undefined },
      );
      if (inside.ok || start === undefined) continue;
      const problem = inside.errors[0] ?? { message: 'invalid JSON' };
      // The value's own start in the document, then the problem's place inside it.
      const before = start.chunk.slice(0, start.index);
      const newline = before.lastIndexOf('\n');
      let line = start.line;
      for (let n = before.indexOf('\n'); n !== -1; n = before.indexOf('\n', n + 1)) line++;
      const column = newline === -1 ? start.column + start.index : start.index - newline;
      const innerLine = problem.line ?? 1;
      const innerColumn = problem.column ?? 1;
      return {
        message: problem.message,
        line: line + innerLine - 1,
        column: innerLine === 1 ? column + innerColumn - 1 : innerColumn,
      };
    }
    return { message: 'invalid JSON in a selected value' };
  }
}
