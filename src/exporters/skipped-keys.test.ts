import { describe, expect, it } from 'vitest';
import { testNameOfKey } from './skipped-keys.ts';

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
