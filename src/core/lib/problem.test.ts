import { describe, expect, it } from 'vitest';
import { formatProblem } from './problem.ts';

describe('formatProblem', () => {
  it.each([
    [{ message: 'unclosed tag', line: 5, column: 34 }, 'a.xml', 'a.xml:5:34: unclosed tag'],
    [{ message: 'bad', line: 3 }, 'a.jsonl', 'a.jsonl:3: bad'],
    [{ message: 'no tests', path: 'results.tests' }, 'r.json', 'r.json: no tests'],
    [{ message: 'unclosed tag', line: 5, column: 34 }, undefined, '5:34: unclosed tag'],
    [{ message: 'plain' }, undefined, 'plain'],
  ])('prints %j of %s as %s', (problem, file, text) => {
    expect(formatProblem(problem, file)).toBe(text);
  });
});
