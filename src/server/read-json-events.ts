import {
  Tokenizer,
  TokenizerError,
  TokenParser,
  TokenType,
  type ParsedTokenInfo,
} from '@streamparser/json';
import { CandorError, isCandorError } from '../core/lib/candor-error.ts';

/** How much of a JSON body {@link readJsonEvents} builds in memory. */
export type JsonEventLimits = {
  /** Events in one body (items of a top-level array; a single object is one). */
  maxEvents: number;
  /** JSON values in one body, object keys included: bounds the heap whatever the body's shape. */
  maxValues: number;
  /** Nesting of arrays and objects; the top-level array is depth 1, its events depth 2. */
  maxDepth: number;
};

/**
 * The limits of POST /api/v1/events (docs/adr/0006). A real event is about 10 to 30 values;
 * the worst shape (`{}` repeated) costs about 66 bytes of heap per value, so 500,000 values stay
 * near 33 MB per request, well inside the 256 MB heap `candor serve` runs with.
 */
export const eventBodyLimits: JsonEventLimits = {
  maxEvents: 10_000,
  maxValues: 500_000,
  maxDepth: 32,
};

const endsEarly = 'the body ends before the JSON does';

const valueTokens = new Set<TokenType>([
  TokenType.LEFT_BRACE,
  TokenType.LEFT_BRACKET,
  TokenType.STRING,
  TokenType.NUMBER,
  TokenType.TRUE,
  TokenType.FALSE,
  TokenType.NULL,
]);

/**
 * Reads a JSON body holding one event (any JSON value) or an array of events, streaming, and
 * returns the events in order. Nothing beyond the limits is ever built: parsing stops at the
 * first token past a limit and the rest of the body is left unread. A `__proto__` key becomes an
 * own property (never the prototype), so the strict event schema names it.
 * Throws CandorError `invalid-input` for an empty body, invalid JSON or nesting past `maxDepth`,
 * and `payload-too-large` for more than `maxEvents` events or `maxValues` values; each message
 * names the position as line:column (1-based, columns in bytes). Errors of `body` itself (such
 * as the body limit) are rethrown as they are.
 */
export async function readJsonEvents(
  body: AsyncIterable<Buffer | string>,
  limits: JsonEventLimits = eventBodyLimits,
): Promise<unknown[]> {
  const events: unknown[] = [];
  const position = new PositionTracker();
  const tokenizer = new Tokenizer();
  let parser: TokenParser | undefined;
  let isBatch = false;
  let depth = 0;
  let values = 0;
  let lastToken: ParsedTokenInfo | undefined;
  /** `endOffset` is set once the body is over: errors from then on are at its end. */
  const state: { failure?: Error; endOffset?: number } = {};

  /** Records the first failure; `reason` says what was wrong at `offset`. */
  const fail = (error: unknown, offset: number, reason: string): void => {
    if (state.failure) return;
    if (isCandorError(error)) {
      state.failure = error;
      return;
    }
    const where = position.describe(offset);
    state.failure = new CandorError('invalid-input', `body: invalid JSON at ${where}: ${reason}`, {
      cause: error,
    });
  };
  const throwIfFailed = (): void => {
    if (state.failure) throw state.failure;
  };
  const refuse = (code: 'invalid-input' | 'payload-too-large', what: string, offset: number) =>
    new CandorError(code, `body: ${what} (at ${position.describe(offset)})`);

  tokenizer.onToken = (token: ParsedTokenInfo): void => {
    if (state.failure) return;
    lastToken = token;
    if (valueTokens.has(token.token)) {
      values += 1;
      if (values > limits.maxValues)
        throw refuse(
          'payload-too-large',
          `more than ${limits.maxValues.toLocaleString('en-US')} JSON values; send fewer or smaller events per request`,
          token.offset,
        );
      if (isBatch && depth === 1 && events.length >= limits.maxEvents)
        throw refuse(
          'payload-too-large',
          `more than ${limits.maxEvents.toLocaleString('en-US')} events; send at most ${limits.maxEvents.toLocaleString('en-US')} per request`,
          token.offset,
        );
    }
    if (token.token === TokenType.LEFT_BRACE || token.token === TokenType.LEFT_BRACKET) {
      depth += 1;
      if (depth > limits.maxDepth)
        throw refuse(
          'invalid-input',
          `nested deeper than ${limits.maxDepth} levels of arrays and objects`,
          token.offset,
        );
    } else if (token.token === TokenType.RIGHT_BRACE || token.token === TokenType.RIGHT_BRACKET) {
      depth -= 1;
    }
    if (!parser) {
      // The first token says whether this is a batch: emit the items of a top-level array one
      // by one (dropping each from the array), or else the whole value once.
      isBatch = token.token === TokenType.LEFT_BRACKET;
      parser = new TokenParser({ paths: [isBatch ? '$.*' : '$'], keepStack: false });
      parser.onValue = ({ value }) => {
        events.push(value);
      };
      // The token parser refuses the token it was just given (or the end of the body).
      parser.onError = (error) =>
        state.endOffset === undefined
          ? fail(error, lastToken?.offset ?? 0, `unexpected ${JSON.stringify(lastToken?.value)}`)
          : fail(error, state.endOffset, endsEarly);
    }
    parser.write(token);
  };
  tokenizer.onError = (error: Error): void => {
    if (state.endOffset !== undefined) return fail(error, state.endOffset, endsEarly);
    const offset = tokenizerErrorOffset(error);
    if (offset === undefined) return fail(error, lastToken?.offset ?? 0, error.message);
    fail(error, offset, `unexpected ${position.describeByte(offset)}`);
  };

  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    position.enter(bytes);
    tokenizer.write(bytes);
    throwIfFailed();
    position.leave();
  }
  state.endOffset = position.offset;
  // Ending flushes a trailing number, so a body of just `42` has its token only now.
  tokenizer.end();
  throwIfFailed();
  if (!parser) {
    throw new CandorError('invalid-input', 'body: empty; expected an event or an array of events');
  }
  if (!parser.isEnded) parser.end();
  throwIfFailed();
  return events;
}

/**
 * The absolute byte offset of a tokenizer error. @streamparser/json 0.0.26 reports it only in
 * its message (`… (absolute position "N") …`); a test pins that, and without it the offset of
 * the last good token is close enough.
 */
function tokenizerErrorOffset(error: Error): number | undefined {
  if (!(error instanceof TokenizerError)) return undefined;
  const match = /absolute position "(\d+)"/.exec(error.message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Maps absolute byte offsets to line:column while chunks stream by, keeping only the current one. */
class PositionTracker {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;
  /** Newlines before the current chunk. */
  private linesBefore = 0;
  /** Absolute offset of the last newline before the current chunk, -1 when none. */
  private lastNewlineBefore = -1;

  /** Bytes seen so far. */
  get offset(): number {
    return this.chunkStart + this.chunk.length;
  }

  enter(chunk: Buffer): void {
    this.chunk = chunk;
  }

  leave(): void {
    let index = this.chunk.indexOf(10);
    while (index !== -1) {
      this.linesBefore += 1;
      this.lastNewlineBefore = this.chunkStart + index;
      index = this.chunk.indexOf(10, index + 1);
    }
    this.chunkStart += this.chunk.length;
    this.chunk = Buffer.alloc(0);
  }

  /** The byte at `offset` in the current chunk, quoted for a message. */
  describeByte(offset: number): string {
    const byte = this.chunk[offset - this.chunkStart];
    if (byte === undefined) return 'input';
    return byte < 0x80 ? JSON.stringify(String.fromCharCode(byte)) : `byte 0x${byte.toString(16)}`;
  }

  /**
   * `line:column` of an offset in the current chunk or before it. An offset before the chunk is
   * a token that began earlier; tokens hold no raw newline, so the line is the chunk's first.
   */
  describe(offset: number): string {
    let line = this.linesBefore + 1;
    let lastNewline = this.lastNewlineBefore;
    const end = Math.min(offset - this.chunkStart, this.chunk.length);
    let index = end > 0 ? this.chunk.indexOf(10) : -1;
    while (index !== -1 && index < end) {
      line += 1;
      lastNewline = this.chunkStart + index;
      index = this.chunk.indexOf(10, index + 1);
    }
    return `${line}:${offset - lastNewline}`;
  }
}
