import { describe, expect, it } from 'vitest';
import { testNameOfKey } from './skipped-keys.ts';

describe('testNameOfKey', () => {
  it('takes the name after the last :: without the variant', () => {
    expect(testNameOfKey('a::b::c [win]')).toBe('c');
    expect(testNameOfKey('plain')).toBe('plain');
  });
});
