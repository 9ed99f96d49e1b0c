import { Tokenizer } from '@streamparser/json';
import { describe, expect, it } from 'vitest';
import { CandorError } from '../core/lib/candor-error.ts';
import { eventBodyLimits, readJsonEvents, type JsonEventLimits } from './read-json-events.ts';

/** The body as chunks of `size` bytes (1: every token and character split across chunks). */
async function* chunksOf(text: string, size = 64 * 1024): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function failureOf(
  body: AsyncIterable<Buffer>,
  limits?: JsonEventLimits,
): Promise<CandorError> {
  const error: unknown = await readJsonEvents(body, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CandorError))
    throw new Error(`expected a CandorError, got ${String(error)}`);
  return error;
}

describe('readJsonEvents', () => {
  it.each([
    ['an array', '[{"a":1},{"b":[2,"é"]},3]', [{ a: 1 }, { b: [2, 'é'] }, 3]],
    ['one object', ' {"a":{"b":null}} ', [{ a: { b: null } }]],
    ['a bare number', '42', [42]],
    ['a bare string', '"s"', ['s']],
    ['an empty array', '[]', []],
    ['a byte-order mark and CRLF', '\ufeff[\r\n{"a":true}\r\n]\r\n', [{ a: true }]],
  ])('returns the events of %s, whatever the chunk size', async (_name, text, expected) => {
    for (const size of [1, 3, 64 * 1024]) {
      expect(await readJsonEvents(chunksOf(text, size))).toEqual(expected);
    }
  });

  it('keeps a __proto__ key as an own property and never as a prototype', async () => {
    const [event] = (await readJsonEvents(
      chunksOf('[{"__proto__":{"polluted":true},"type":"x"}]'),
    )) as Record<string, unknown>[];
    expect(Object.keys(event!)).toEqual(['__proto__', 'type']);
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect((event as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it.each([
    ['an unexpected character', '[{"a":1},\n {"b": tru }]', '2:11', /unexpected " "/],
    ['a missing comma', '[1 2]', '1:4', /unexpected 2$/],
    ['a trailing comma', '[1,]', '1:4', /unexpected "\]"/],
    ['a raw newline in a string', '["a\nb"]', '1:4', /unexpected/],
    ['a second document', '[1] [2]', '1:5', /unexpected/],
    ['a truncated array', '[{"a":1},\n{"b":2}', '2:8', /ends before the JSON does/],
    ['a truncated literal', '[\n  tru', '2:6', /ends before the JSON does/],
  ])('names line:column of %s', async (_name, text, where, reason) => {
    for (const size of [1, 64 * 1024]) {
      const error = await failureOf(chunksOf(text, size));
      expect(error.code).toBe('invalid-input');
      expect(error.message).toMatch(new RegExp(`^body: invalid JSON at ${where}: `));
      expect(error.message).toMatch(reason);
    }
  });

  it('locates an error after many lines spread over many chunks', async () => {
    const text = `[\n${'  {"a": 1},\n'.repeat(5_000)}  {"a": 1,,}\n]`;
    const error = await failureOf(chunksOf(text, 1_000));
    expect(error.message).toBe('body: invalid JSON at 5002:11: unexpected ","');
  });

  it('relies on the tokenizer naming the absolute position of an error (version pin)', () => {
    const tokenizer = new Tokenizer();
    tokenizer.onToken = () => {};
    let message = '';
    tokenizer.onError = (error) => {
      message = error.message;
    };
    tokenizer.write(Buffer.from('[1,'));
    tokenizer.write(Buffer.from(' x'));
    expect(message).toContain('absolute position "4"');
  });

  it.each(['', '  \n '])('refuses an empty body (%j)', async (text) => {
    const error = await failureOf(chunksOf(text));
    expect(error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/empty/) });
  });

  const small: JsonEventLimits = { maxEvents: 3, maxValues: 50, maxDepth: 4 };

  /** Counts how many chunks the reader pulled, to show that it stopped early. */
  function counting(
    text: string,
    size: number,
  ): { body: AsyncIterable<Buffer>; pulled: () => number } {
    let pulled = 0;
    const body = {
      async *[Symbol.asyncIterator]() {
        for await (const chunk of chunksOf(text, size)) {
          pulled += 1;
          yield chunk;
        }
      },
    };
    return { body, pulled: () => pulled };
  }

  it.each([
    [
      'more events than allowed',
      `[${'{},'.repeat(1_000)}{}]`,
      'payload-too-large',
      /more than 3 events; send at most 3 per request \(at 1:11\)/,
    ],
    [
      'more values than allowed',
      `[{"a":[${'0,'.repeat(1_000)}0]}]`,
      'payload-too-large',
      /more than 50 JSON values.*\(at 1:100\)/,
    ],
    [
      'nesting deeper than allowed',
      `${'['.repeat(1_000)}${']'.repeat(1_000)}`,
      'invalid-input',
      /nested deeper than 4 levels.*\(at 1:5\)/,
    ],
  ])('stops at %s without reading the rest', async (_name, text, code, message) => {
    const { body, pulled } = counting(text, 16);
    const error = await failureOf(body, small);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(pulled()).toBeLessThan(Math.ceil(text.length / 16) / 2);
  });

  it('accepts exactly the limits', async () => {
    expect(await readJsonEvents(chunksOf('[{},{},[[]]]'), small)).toHaveLength(3);
    const events = await readJsonEvents(
      chunksOf(JSON.stringify(Array.from({ length: eventBodyLimits.maxEvents }, () => ({})))),
    );
    expect(events).toHaveLength(eventBodyLimits.maxEvents);
  });

  it('passes on an error of the body stream itself', async () => {
    const failing = {
      async *[Symbol.asyncIterator]() {
        yield Buffer.from('[{"a":');
        throw new CandorError('payload-too-large', 'the body is larger than 1 KiB');
      },
    };
    expect(await failureOf(failing)).toMatchObject({ message: 'the body is larger than 1 KiB' });
  });
});
