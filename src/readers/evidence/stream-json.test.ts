import { describe, expect, it } from 'vitest';
import { streamJson, type JsonPath } from './stream-json.ts';

async function scan(text: string, paths: string[], chunk = 3) {
  const values: [unknown, JsonPath][] = [];
  const starts: string[] = [];
  const result = await streamJson(
    (async function* () {
      for (let i = 0; i < text.length; i += chunk) yield text.slice(i, i + chunk);
    })(),
    {
      paths,
      onValue: (value, path) => values.push([value, path]),
      onStart: (path, kind) => starts.push(`${path.join('.')}:${kind}`),
    },
  );
  return { result, values, starts };
}

describe('streamJson', () => {
  it('hands over selected values with their paths, whatever the chunk size', async () => {
    const text =
      '{"v": "2.1.0", "runs": [{"results": [{"a": [1, {"b": "\\u00e9\\"x"}]}, 2.5e3, null]}, {"results": null}]}';
    for (const size of [1, 2, 7, 1000]) {
      const { result, values } = await scan(text, ['$.v', '$.runs.*.results.*'], size);
      expect(result.ok).toBe(true);
      expect(values).toEqual([
        ['2.1.0', ['v']],
        [{ a: [1, { b: 'é"x' }] }, ['runs', 0, 'results', 0]],
        [2500, ['runs', 0, 'results', 1]],
        [null, ['runs', 0, 'results', 2]],
      ]);
    }
  });

  it('says where each value starts, up to the depth asked', async () => {
    const { starts } = await scan('{"runs": [{"results": []}, {"results": null}]}', []);
    expect(starts).toEqual([
      ':object',
      'runs:array',
      'runs.0:object',
      'runs.0.results:array',
      'runs.1:object',
      'runs.1.results:null',
    ]);
  });

  it.each([
    [
      'an invalid literal where nothing is selected',
      '{"a": {"b": tru}}',
      'invalid JSON: unexpected "tru"',
      1,
      13,
    ],
    ['a bad escape', '{"a": "x\\q"}', 'invalid JSON: unexpected "q"', 1, 10],
    [
      'a control character in a string',
      '{"a": "x\u0001"}',
      'invalid JSON: a control character inside a string (escape it)',
      1,
      9,
    ],
    ['a missing comma', '{"a": 1\n "b": 2}', 'invalid JSON: unexpected "\\""', 2, 2],
    ['a trailing comma', '[1, 2,]', 'invalid JSON: unexpected "]"', 1, 7],
    [
      'text after the document',
      '{} x',
      'invalid JSON: unexpected "x" after the end of the document',
      1,
      4,
    ],
    ['a leading zero', '[01]', 'invalid JSON: unexpected "01"', 1, 2],
  ])('refuses %s, with line and column', async (_name, text, message, line, column) => {
    const { result } = await scan(text, ['$.*'], 2);
    expect(result).toEqual({ ok: false, errors: [{ message, line, column }] });
  });

  it.each([
    ['a bracket that does not match', '{"r": [\n  {"a": [1}\n]}', 2, 11],
    ['a control character', '{"r": [{"a": "x\u0001"}]}', 1, 16],
    ['a bad literal', '{"r": [1, {"a": nul}]}', 1, 17],
  ])('locates %s inside a selected value', async (_name, text, line, column) => {
    for (const size of [1, 5, 1000]) {
      const { result } = await scan(text, ['$.r.*'], size);
      expect(!result.ok && result.errors[0]).toMatchObject({ line, column });
    }
  });

  it('says a truncated document ends too early, and an empty one is empty', async () => {
    const truncated = await scan('{"a": [1, 2,\n', ['$.a.*']);
    expect(!truncated.result.ok && truncated.result.errors[0]).toMatchObject({
      message: expect.stringMatching(/truncated/),
      line: 2,
      column: 1,
    });
    const empty = await scan('  \n ', []);
    expect(!empty.result.ok && empty.result.errors[0]?.message).toBe(
      'the document is empty (expected JSON)',
    );
  });

  it('skips strings of selected values right at every chunk boundary: escaped quotes, runs of backslashes, brackets', async () => {
    const strings = [
      'plain',
      'a "quoted" word',
      'ends in a backslash \\',
      '\\"',
      '\\\\',
      'two \\\\" then quote',
      '{[ not a bracket ]}',
      '\u00e9\n\t',
      '',
      '"',
    ];
    const values = strings.map((text, n) => ({ n, text, nested: [{ text }] }));
    const text = JSON.stringify({ r: values, after: strings });
    const expected = values.map((value, n) => [value, ['r', n]]);
    for (let size = 1; size <= 40; size++) {
      const scanned = await scan(text, ['$.r.*'], size);
      expect(scanned.result.ok).toBe(true);
      expect(scanned.values).toEqual(expected);
    }
    const huge = 'x\\"'.repeat(200_000);
    const big = await scan(JSON.stringify({ r: [{ huge }] }), ['$.r.*'], 65_536);
    expect(big.values).toEqual([[{ huge }, ['r', 0]]]);
  });

  it('says a selected value cut inside a string, after a backslash, ends too early', async () => {
    for (const text of ['{"r": [{"a": "x\\', '{"r": [{"a": "x\\\\', '{"r": [{"a": "\\"']) {
      const { result } = await scan(text, ['$.r.*'], 2);
      expect(!result.ok && result.errors[0]?.message).toMatch(/ends too early/);
    }
  });

  it('reads a top-level number and ignores a byte order mark', async () => {
    expect((await scan('\uFEFF42', ['$'])).values).toEqual([[42, []]]);
  });
});
