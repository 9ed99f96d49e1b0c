import { describe, expect, it } from 'vitest';
import { messageOf } from './message-of.ts';

describe('messageOf', () => {
  it.each([
    [new Error('disk full'), 'disk full'],
    [new TypeError('not a function'), 'not a function'],
    [
      { message: 'from a library that throws plain objects', code: 'E1' },
      'from a library that throws plain objects',
    ],
    [{ message: 42 }, '[object Object]'],
    ['a string', 'a string'],
    [404, '404'],
    [undefined, 'undefined'],
    [null, 'null'],
    [Object.create(null) as unknown, '[object Object]'],
  ])('gives the message of %j as %j', (error, expected) => {
    expect(messageOf(error)).toBe(expected);
  });
});
