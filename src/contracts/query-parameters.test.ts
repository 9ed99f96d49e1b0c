import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DoraQuery,
  FlakyQuery,
  RunsQuery,
  SplitQuery,
  SuggestionQuery,
  TestHistoryQuery,
  VerdictQuery,
} from './queries.ts';
import { queryParameters } from './query-parameters.ts';

describe('queryParameters', () => {
  it.each([
    [FlakyQuery, ['window', 'branch', 'defaultBranch', 'repo', 'max', 'minExecutions']],
    [DoraQuery, ['window', 'service', 'env', 'team', 'incidentWindow']],
    [RunsQuery, ['limit', 'repo']],
    [TestHistoryQuery, ['key', 'limit', 'repo']],
    [SplitQuery.omit({ index: true }), ['shards', 'by', 'last', 'window', 'repo']],
    [SuggestionQuery, ['mode']],
    [VerdictQuery, ['run', 'commit', 'repo']],
  ] as const)(
    'names what a schema reads, through transforms and refinements (%#)',
    (schema, names) => {
      expect(queryParameters(schema)).toEqual(names);
    },
  );

  it('reads through optional, default and pipe wrappers', () => {
    const schema = z
      .object({ a: z.string() })
      .optional()
      .pipe(z.object({ a: z.string() }).optional());
    expect(queryParameters(schema)).toEqual(['a']);
    expect(queryParameters(z.object({ b: z.string() }).default({ b: 'x' }))).toEqual(['b']);
  });

  it('throws for a schema that is no object', () => {
    expect(() => queryParameters(z.string())).toThrow('a query schema must be an object');
  });
});

describe('VerdictQuery', () => {
  it.each([
    [{ run: 'r1' }, true],
    [{ commit: 'abc', repo: 'acme/shop' }, true],
    [{}, false],
    [{ run: 'r1', commit: 'abc' }, false],
  ])('takes exactly one of run and commit: %j', (query, ok) => {
    expect(VerdictQuery.safeParse(query).success).toBe(ok);
  });
});
