import { describe, expect, it } from 'vitest';
import { namePatternSelecting, testNameOfKey } from './skipped-keys.ts';

describe('testNameOfKey', () => {
  it('takes the name after the last :: without the variant', () => {
    expect(testNameOfKey('a::b::c [win]')).toBe('c');
    expect(testNameOfKey('plain')).toBe('plain');
  });

  it('takes the number of a further case with the same name away: the runner knows one name', () => {
    expect(testNameOfKey('tests/a.test.js::cart rounds #2 [win]')).toBe('cart rounds');
    expect(testNameOfKey('cart rounds #3')).toBe('cart rounds');
  });
});

describe('namePatternSelecting', () => {
  it('matches exactly the named tests, with Vitest levels joined by > or a space', () => {
    const pattern = new RegExp(namePatternSelecting(['f::cart > adds (1+1)? $x', 'g::b #2']));
    expect(
      ['cart > adds (1+1)? $x', 'cart adds (1+1)? $x', 'b'].every((n) => pattern.test(n)),
    ).toBe(true);
    expect(
      ['cart > adds (1+1)? $x more', 'xb', 'cart > adds (1+1)'].some((n) => pattern.test(n)),
    ).toBe(false);
    expect(namePatternSelecting([])).toBe('(?!)');
  });
});
