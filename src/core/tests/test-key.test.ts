import { describe, expect, it } from 'vitest';
import { testKey } from './test-key.ts';

describe('testKey', () => {
  it.each([
    // Unchanged from ADR 2 where the classname names the place.
    [{ name: 'adds', classname: 'math.Add', suitePath: ['s'] }, undefined, 'math.Add::adds'],
    [{ name: 'adds', file: 'tests/a.spec.ts', suitePath: [] }, undefined, 'tests/a.spec.ts::adds'],
    [{ name: 'adds', classname: '  ', file: 'f', suitePath: [] }, undefined, 'f::adds'],
    [{ name: 'adds', suitePath: ['outer', 'inner'] }, undefined, 'outer > inner::adds'],
    [{ name: 'adds', suitePath: [] }, undefined, 'adds'],
    [{ name: 'adds', classname: 'math.Add', suitePath: [] }, 'linux', 'math.Add::adds [linux]'],
    [{ name: 'adds', classname: 'math.Add', suitePath: [] }, '', 'math.Add::adds'],
    // The file comes first: a classname beside it keeps what the file does not say.
    [
      { name: 'adds', classname: 'math.Add', file: 'a.py', suitePath: ['s'] },
      undefined,
      'a.py::math.Add::adds',
    ],
    // pytest xunit1: the key is the node id.
    [
      {
        name: 'test_x',
        classname: 'tests.test_calc.TestAdd',
        file: 'tests/test_calc.py',
        suitePath: ['pytest'],
      },
      undefined,
      'tests/test_calc.py::TestAdd::test_x',
    ],
    [
      {
        name: 'test_x',
        classname: 'tests.test_calc',
        file: 'tests/test_calc.py',
        suitePath: ['pytest'],
      },
      undefined,
      'tests/test_calc.py::test_x',
    ],
    // pytest xunit2 (no file): the qualified classname is the place, the suite `pytest` is not.
    [
      { name: 'test_x', classname: 'tests.test_calc.TestAdd', suitePath: ['pytest'] },
      undefined,
      'tests.test_calc.TestAdd::test_x',
    ],
    // jest-junit: classname equal to the name, suite repeating the describe title.
    [{ name: 'cart adds', classname: 'cart adds', suitePath: ['cart'] }, undefined, 'cart adds'],
    [
      { name: 'works', classname: 'works', suitePath: ['tests/a.test.js'] },
      undefined,
      'tests/a.test.js::works',
    ],
    [
      {
        name: 'cart adds',
        classname: 'cart adds',
        file: 'tests/cart.test.js',
        suitePath: ['cart'],
      },
      undefined,
      'tests/cart.test.js::cart adds',
    ],
    // mocha: the classname is the end of the full title.
    [
      { name: 'retries works', classname: 'works', file: 'test/r.spec.js', suitePath: ['retries'] },
      undefined,
      'test/r.spec.js::retries works',
    ],
    // Vitest and Playwright: the classname is the file.
    [
      {
        name: 'a > b',
        classname: 'tests/a.test.ts',
        file: 'tests/a.test.ts',
        suitePath: ['tests/a.test.ts'],
      },
      undefined,
      'tests/a.test.ts::a > b',
    ],
    [
      {
        name: 'pays',
        classname: 'checkout.spec.ts',
        file: 'e2e/checkout.spec.ts',
        suitePath: ['checkout.spec.ts'],
      },
      undefined,
      'e2e/checkout.spec.ts::pays',
    ],
    // node --test: `test` is a placeholder; Node 24 writes the file, Node 20 does not.
    [
      { name: 'adds', classname: 'test', file: 'test/math.test.js', suitePath: [] },
      undefined,
      'test/math.test.js::adds',
    ],
    [
      {
        name: 'adds',
        classname: 'math.add',
        file: 'test/math.test.js',
        suitePath: ['math', 'add'],
      },
      undefined,
      'test/math.test.js::math.add::adds',
    ],
    [{ name: 'adds', classname: 'test', suitePath: ['math'] }, undefined, 'math::adds'],
    [{ name: 'adds', classname: 'test', suitePath: [] }, undefined, 'test::adds'],
    // CTRF: file and suite, without the levels that repeat the file.
    [
      {
        name: 'pays',
        file: 'e2e/checkout.spec.ts',
        suitePath: ['chromium', 'checkout.spec.ts', 'cart'],
      },
      undefined,
      'e2e/checkout.spec.ts::chromium > cart::pays',
    ],
    [
      {
        name: 'math add adds',
        file: 'tests/math.test.js',
        suitePath: ['math.test.js', 'math', 'add'],
      },
      undefined,
      'tests/math.test.js::math add adds',
    ],
    // Nameless and repeated cases.
    [{ name: '', classname: 'c.D', suitePath: [] }, undefined, 'c.D::(unnamed)'],
  ])('keys %j with variant %s as %s', (test, variant, expected) => {
    expect(testKey(test, variant)).toBe(expected);
  });

  it('numbers a further case of one identity before the variant', () => {
    expect(testKey({ name: '', classname: 'c.D', suitePath: [] }, 'linux', 3)).toBe(
      'c.D::(unnamed) #3 [linux]',
    );
  });

  it('keeps same titles in two files apart', () => {
    const a = testKey({
      name: 'cart adds',
      classname: 'cart adds',
      file: 'a.test.js',
      suitePath: ['cart'],
    });
    const b = testKey({
      name: 'cart adds',
      classname: 'cart adds',
      file: 'b.test.js',
      suitePath: ['cart'],
    });
    expect(a).not.toBe(b);
  });
});
