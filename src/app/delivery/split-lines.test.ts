import { describe, expect, it } from 'vitest';
import { splitLines, type SplitLine } from './split-lines.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

async function collect(
  chunks: (Uint8Array | string)[],
  maxLineBytes = 1_000,
): Promise<SplitLine[]> {
  async function* source() {
    yield* chunks;
  }
  const out: SplitLine[] = [];
  for await (const line of splitLines(source(), { maxLineBytes })) out.push(line);
  return out;
}
const texts = (lines: SplitLine[]) => lines.map((l) => (l.kind === 'line' ? l.text : l.kind));

/** Every way to cut `data` into two chunks. */
const cuts = (data: Uint8Array) =>
  Array.from({ length: data.length + 1 }, (_, at) => [data.subarray(0, at), data.subarray(at)]);

describe('splitLines', () => {
  it.each([
    ['a\nb\n', ['a', 'b']],
    ['a\nb', ['a', 'b']],
    ['a\r\nb\r\n', ['a', 'b']],
    ['a\r\nb', ['a', 'b']],
    ['\n\na\n', ['', '', 'a']],
    ['', []],
    ['a\rb\n', ['a\rb']],
    ['\uFEFF{"a":1}\n', ['{"a":1}']],
  ])('splits %j into %j', async (text, expected) => {
    expect(texts(await collect([text]))).toEqual(expected);
  });

  it('keeps multi-byte characters whole wherever a chunk boundary falls', async () => {
    const data = bytes('€uro\r\n😀 é\nlast 𝄞');
    for (const [a, b] of cuts(data)) {
      expect(texts(await collect([a as Uint8Array, b as Uint8Array]))).toEqual([
        '€uro',
        '😀 é',
        'last 𝄞',
      ]);
    }
  });

  it('numbers lines from 1, counting blank and skipped ones', async () => {
    const lines = await collect(['a\n\n', 'x'.repeat(20), '\nb\n'], 10);
    expect(lines).toEqual([
      { kind: 'line', number: 1, text: 'a' },
      { kind: 'line', number: 2, text: '' },
      { kind: 'too-long', number: 3, bytes: 20 },
      { kind: 'line', number: 4, text: 'b' },
    ]);
  });

  it('accepts a line of exactly the limit, with or without CR, and refuses one byte more', async () => {
    for (const [a, b] of cuts(bytes('1234567890\r\n1234567890\n12345678901\r\n12345678901'))) {
      expect(await collect([a as Uint8Array, b as Uint8Array], 10)).toEqual([
        { kind: 'line', number: 1, text: '1234567890' },
        { kind: 'line', number: 2, text: '1234567890' },
        { kind: 'too-long', number: 3, bytes: 11 },
        { kind: 'too-long', number: 4, bytes: 11 },
      ]);
    }
  });

  it('does not buffer a too-long line: it keeps going through a 64 MiB line of 1 MiB chunks', async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x41);
    async function* source() {
      for (let i = 0; i < 64; i++) yield chunk;
      yield bytes('\n{"ok":true}');
    }
    const out: SplitLine[] = [];
    for await (const line of splitLines(source(), { maxLineBytes: 1024 })) out.push(line);
    expect(out).toEqual([
      { kind: 'too-long', number: 1, bytes: 64 * 1024 * 1024 },
      { kind: 'line', number: 2, text: '{"ok":true}' },
    ]);
  });

  it('reports a line that is not UTF-8 and goes on', async () => {
    const lines = await collect([new Uint8Array([0x61, 0x0a, 0xff, 0xfe, 0x0a, 0x62])]);
    expect(lines).toEqual([
      { kind: 'line', number: 1, text: 'a' },
      { kind: 'invalid-utf8', number: 2 },
      { kind: 'line', number: 3, text: 'b' },
    ]);
  });

  it('keeps what spans chunks when the source reuses its buffer', async () => {
    // A Buffer, as file and socket reads give: its slice() does not copy.
    const buffer = Buffer.alloc(8);
    async function* source() {
      for (const piece of ['ab\ncd', 'ef\ng\n', 'hijk', 'l']) {
        buffer.fill(0);
        const data = bytes(piece);
        buffer.set(data);
        yield buffer.subarray(0, data.length);
      }
    }
    const out: SplitLine[] = [];
    for await (const line of splitLines(source(), { maxLineBytes: 100 })) out.push(line);
    expect(texts(out)).toEqual(['ab', 'cdef', 'g', 'hijkl']);
  });

  it('pulls from the source only as lines are asked for', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield `line ${i}\n`;
      }
    }
    const lines = splitLines(source(), { maxLineBytes: 100 });
    await lines.next();
    await lines.next();
    expect(pulled).toBe(2);
    await lines.return();
  });
});
