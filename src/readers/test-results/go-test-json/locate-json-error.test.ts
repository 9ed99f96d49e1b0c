import { describe, expect, it } from 'vitest';
import { locateJsonError } from './locate-json-error.ts';

describe('locateJsonError', () => {
  it.each([
    '{}',
    '{"a":1,"b":[true,false,null,-1.5e3,"x\\u00e9\\n"]}',
    '  {"Action":"pass","Elapsed":0.01}  ',
    '"text"',
  ])('finds nothing wrong in %s', (text) => {
    expect(locateJsonError(text)).toBeUndefined();
    expect(() => JSON.parse(text) as unknown).not.toThrow();
  });

  it.each([
    ['{"Action":"pa', 13, /end of the string/],
    ['{"Action":"a\u0000b"}', 12, /control characters/],
    ['{"Action" "pass"}', 10, /":"/],
    ['{"a":1 "b":2}', 7, /"," or "}"/],
    ['{"a":tru}', 8, /"true"/],
    ['{"a":1}x', 7, /end of the line/],
    ['{a:1}', 1, /property name/],
    ['{"a":"\\x"}', 7, /escape/],
    ['{"a":-}', 5, /a value/],
    ['', 0, /a value/],
  ])('locates the error in %j at %i', (text, index, expected) => {
    expect(() => JSON.parse(text) as unknown).toThrow();
    const error = locateJsonError(text);
    expect(error?.index).toBe(index);
    expect(error?.expected).toMatch(expected);
  });
});
