import { describe, expect, it } from 'vitest';
import { suggestWord } from './suggest-word.ts';

describe('suggestWord', () => {
  it.each([
    ['coverge', 'coverage'],
    ['Coverage', 'coverage'],
    ['chnage', 'change'],
    ['secret', 'secrets'],
    ['todo', 'todo'],
  ])('suggests the close known word for %s', (word, expected) => {
    expect(suggestWord(word, ['coverage', 'change', 'secrets', 'todo', 'tests'])).toBe(expected);
  });

  it('suggests nothing when no known word is close', () => {
    expect(suggestWord('kubernetes', ['coverage', 'todo'])).toBeUndefined();
    expect(suggestWord('x', [])).toBeUndefined();
  });

  it('prefers the closest of several', () => {
    expect(suggestWord('tets', ['tests', 'todo'])).toBe('tests');
  });
});
