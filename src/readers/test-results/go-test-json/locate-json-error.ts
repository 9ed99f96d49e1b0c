/**
 * Where a JSON text stops being valid JSON (RFC 8259): the index (UTF-16 code units) of the first
 * character that cannot continue a valid document, or `text.length` when the text ends too early,
 * with what was expected there. Undefined when the text is valid. A scanner of its own, because
 * `JSON.parse` says where only in its message, and messages are not an interface. Never throws.
 */
export function locateJsonError(text: string): { index: number; expected: string } | undefined {
  let at = 0;
  const whitespace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at++;
  };
  class Stop extends Error {
    readonly expected: string;
    constructor(expected: string) {
      super(expected);
      this.expected = expected;
    }
  }
  const expect = (what: string): never => {
    throw new Stop(what);
  };
  const literal = (word: string) => {
    for (const character of word) {
      if (text[at] !== character) expect(`"${word}"`);
      at++;
    }
  };
  const string = () => {
    at++; // the opening quote
    for (;;) {
      if (at >= text.length) expect('the end of the string ("\\"")');
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        at++;
        return;
      }
      if (code < 0x20) expect('a character (control characters must be escaped in a string)');
      if (code === 0x5c) {
        at++;
        const escaped = text[at];
        if (escaped === 'u') {
          at++;
          for (let i = 0; i < 4; i++, at++) {
            if (!/^[0-9a-fA-F]$/.test(text[at] ?? '')) expect('four hexadecimal digits');
          }
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) expect('an escape character');
      }
      at++;
    }
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (match === null || match[0] === '' || match[0] === '-') expect('a value');
    at += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    whitespace();
    const character = text[at];
    if (character === '{') {
      at++;
      whitespace();
      if (text[at] === '}') {
        at++;
        return;
      }
      for (;;) {
        whitespace();
        if (text[at] !== '"') expect('a property name in double quotes');
        string();
        whitespace();
        if (text[at] !== ':') expect('":"');
        at++;
        value();
        whitespace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] !== '}') expect('"," or "}"');
        at++;
        return;
      }
    }
    if (character === '[') {
      at++;
      whitespace();
      if (text[at] === ']') {
        at++;
        return;
      }
      for (;;) {
        value();
        whitespace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] !== ']') expect('"," or "]"');
        at++;
        return;
      }
    }
    if (character === '"') return string();
    if (character === 't') return literal('true');
    if (character === 'f') return literal('false');
    if (character === 'n') return literal('null');
    return number();
  };
  try {
    value();
    whitespace();
    if (at < text.length) expect('the end of the line');
    return undefined;
  } catch (error) {
    if (error instanceof Stop)
      return { index: Math.min(at, text.length), expected: error.expected };
    throw error;
  }
}
