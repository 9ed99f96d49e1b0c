import { describe, expect, it } from 'vitest';
import { testFileOf } from './test-file-of.ts';

describe('testFileOf', () => {
  it.each([
    [{ file: 'src/a.test.ts', classname: 'x', suite: 'y' }, 'src/a.test.ts'],
    // Vitest writes the file as the classname (and the suite).
    [{ file: null, classname: 'src/cart.test.ts', suite: 'src/cart.test.ts' }, 'src/cart.test.ts'],
    [{ file: null, classname: 'cart.test.ts', suite: null }, 'cart.test.ts'],
    [{ file: null, classname: null, suite: 'e2e/pay.spec.js' }, 'e2e/pay.spec.js'],
    // A Java class, a describe title and pytest's module path are no files.
    [{ file: null, classname: 'com.acme.CartTest', suite: 'com.acme.CartTest' }, undefined],
    [{ file: null, classname: 'cart adds', suite: 'cart' }, undefined],
    [{ file: null, classname: 'tests.test_cart', suite: 'pytest' }, undefined],
  ])('finds the file of %j: %s', (test, expected) => {
    expect(testFileOf(test)).toBe(expected);
  });
});
