import { describe, expect, it } from 'vitest';
import {
  defaultFlakyQuery,
  DoraQuery,
  FlakyQuery,
  RunMetadata,
  RunsQuery,
  SplitQuery,
  testReportQuery,
  TestHistoryQuery,
} from './queries.ts';

const messageOf = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('contracts/queries', () => {
  it('gives the flaky defaults once: 14d, 0.5%, 10 executions, main', () => {
    expect(defaultFlakyQuery).toEqual({
      windowMs: 14 * 86_400_000,
      branch: undefined,
      defaultBranch: 'main',
      repo: undefined,
      maxBudget: 0.005,
      classify: { minExecutions: 10 },
    });
    expect(
      FlakyQuery.parse({ window: '2w', max: '20%', minExecutions: '3', defaultBranch: 'dev' }),
    ).toMatchObject({
      windowMs: 14 * 86_400_000,
      maxBudget: 0.2,
      defaultBranch: 'dev',
      classify: { minExecutions: 3 },
    });
  });

  it.each([
    [{ window: 'soon' }, 'window: expected a window such as 14d, 12h, 2w or 90m, got "soon"'],
    [{ window: '0d' }, 'window: the window must be longer than zero, got "0d"'],
    [{ max: 'lots' }, 'max: expected a share such as 0.5% or 0.005, got "lots"'],
    [{ max: '150%' }, 'max: expected a share such as 0.5% or 0.005, got "150%"'],
    [{ minExecutions: '0' }, 'minExecutions: expected a positive integer, got "0"'],
    [{ minExecutions: '2.5' }, 'minExecutions: expected a positive integer, got "2.5"'],
  ])('refuses flaky input %j naming the field', (input, message) => {
    expect(messageOf(FlakyQuery.safeParse(input))).toEqual([message]);
  });

  it('gives the DORA defaults once: 30d, production, 24h', () => {
    expect(DoraQuery.parse({})).toEqual({
      windowMs: 30 * 86_400_000,
      environment: 'production',
      incidentWindowMs: 86_400_000,
      service: undefined,
      team: undefined,
    });
    expect(messageOf(DoraQuery.safeParse({ incidentWindow: 'a while' }))).toEqual([
      'incidentWindow: expected a window such as 14d, 12h, 2w or 90m, got "a while"',
    ]);
    expect(messageOf(DoraQuery.safeParse({ env: '' }))).toEqual([
      'env: Too small: expected string to have >=1 characters',
    ]);
  });

  it('gives list defaults: 50 runs, 30 executions per test; split 30d and the last 10 runs', () => {
    expect(RunsQuery.parse({})).toEqual({ limit: 50 });
    expect(RunsQuery.parse({ limit: 7 })).toEqual({ limit: 7 });
    expect(TestHistoryQuery.parse({ key: 'a::b' })).toEqual({ key: 'a::b', limit: 30 });
    expect(SplitQuery.parse({ shards: '4' })).toEqual({
      shards: 4,
      by: 'file',
      window: 30 * 86_400_000,
      last: 10,
    });
  });

  it('maps run metadata to the names resolveRun takes, normalizing the start time', () => {
    expect(
      RunMetadata.parse({ run: 'r1', commit: 'c0ffee', startedAt: '2026-03-01T01:00:00+01:00' }),
    ).toMatchObject({ runId: 'r1', commitSha: 'c0ffee', startedAt: '2026-03-01T00:00:00.000Z' });
    expect(messageOf(RunMetadata.safeParse({ startedAt: 'yesterday' }))).toEqual([
      'startedAt: expected an ISO-8601 time, got "yesterday"',
    ]);
  });

  it('takes the report formats it is given, and ISO date-times with an offset only', () => {
    const query = testReportQuery(['junit', 'ctrf']);
    expect(query.parse({ run: 'r', path: 'a.xml', allowEmpty: '' })).toEqual({
      run: expect.objectContaining({ runId: 'r' }),
      format: 'auto',
      allowEmpty: true,
      path: 'a.xml',
    });
    expect(messageOf(query.safeParse({ format: 'yaml' }))).toEqual([
      'format: Invalid option: expected one of "auto"|"junit"|"ctrf"',
    ]);
    expect(messageOf(query.safeParse({ startedAt: '2026-03-01' }))).toEqual([
      'startedAt: Invalid ISO datetime',
    ]);
  });
});
