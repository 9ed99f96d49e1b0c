import { describe, expect, it } from 'vitest';
import { renderQuery } from './render-query.ts';

describe('renderQuery', () => {
  it('fills {{version}}-style placeholders, spaces inside the braces allowed', () => {
    expect(
      renderQuery('up{version="{{version}}",app="{{ app }}"}[{{interval}}]', {
        version: 'v2',
        app: 'shop',
        interval: '1m',
      }),
    ).toEqual({
      ok: true,
      value: 'up{version="v2",app="shop"}[1m]',
    });
  });

  it('escapes quotes and backslashes so a value cannot end the matcher', () => {
    expect(renderQuery('up{v="{{version}}"}', { version: 'a"} or vector(1) #\\' })).toEqual({
      ok: true,
      value: 'up{v="a\\"} or vector(1) #\\\\"}',
    });
  });

  it('names an unknown placeholder and the known ones', () => {
    const result = renderQuery('up{v="{{verison}}"}', { version: 'v2', interval: '1m' });
    expect(result).toEqual({
      ok: false,
      errors: ['unknown placeholder {{verison}} (known: {{version}}, {{interval}})'],
    });
  });
});
