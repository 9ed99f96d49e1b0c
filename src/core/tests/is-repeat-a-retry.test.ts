import { describe, expect, it } from 'vitest';
import { isRepeatARetry } from './is-repeat-a-retry.ts';

describe('isRepeatARetry', () => {
  it.each([
    [
      'a rerun after a failure',
      [{ status: 'failed' as const }],
      { name: 't', classname: 'p' },
      true,
    ],
    [
      'a retry written after a skip (TestNG)',
      [{ status: 'skipped' as const }],
      { name: 't', classname: 'p' },
      true,
    ],
    [
      'an equal title after a pass (test.each)',
      [{ status: 'passed' as const }],
      { name: 't', classname: 'p' },
      false,
    ],
    ['a nameless case', [{ status: 'failed' as const }], { name: ' ', classname: 'p' }, false],
    [
      'a node --test case',
      [{ status: 'failed' as const }],
      { name: 't', classname: 'test' },
      false,
    ],
  ])('%s: %s', (_, earlier, repeat, expected) => {
    expect(isRepeatARetry(earlier, repeat)).toBe(expected);
  });
});
