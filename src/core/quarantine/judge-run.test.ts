import { describe, expect, it } from 'vitest';
import { judgeRun } from './judge-run.ts';
import type { QuarantineEntry } from './quarantine.ts';

const entry = (
  key: string,
  expires = '2026-12-10',
  mode: 'run' | 'skip' = 'run',
): QuarantineEntry => ({
  key,
  owner: '@team',
  reason: 'flaky',
  created: '2026-11-20',
  expires,
  mode,
});

describe('judgeRun', () => {
  const today = '2026-11-22';

  it('passes when nothing failed, and lists flaky tests without blocking', () => {
    const verdict = judgeRun(
      [
        { key: 'a', status: 'passed' },
        { key: 'b', status: 'flaky' },
      ],
      [],
      today,
    );
    expect(verdict).toMatchObject({ verdict: 'pass', tests: 2, blocking: [], forgiven: [] });
    expect(verdict.flaky.map((t) => t.key)).toEqual(['b']);
  });

  it('passes when every failure is quarantined', () => {
    const verdict = judgeRun(
      [
        { key: 'a', status: 'failed' },
        { key: 'b', status: 'passed' },
      ],
      [entry('a')],
      today,
    );
    expect(verdict.verdict).toBe('pass');
    expect(verdict.forgiven).toEqual([
      { key: 'a', status: 'failed', owner: '@team', reason: 'flaky', issue: undefined },
    ]);
  });

  it('fails when one failure is not quarantined, matching keys exactly', () => {
    const verdict = judgeRun(
      [
        { key: 'a', status: 'failed' },
        { key: 'a [linux]', status: 'failed' },
      ],
      [entry('a')],
      today,
    );
    expect(verdict.verdict).toBe('fail');
    expect(verdict.blocking.map((t) => t.key)).toEqual(['a [linux]']);
  });

  it('does not forgive a failure under an expired entry', () => {
    const verdict = judgeRun([{ key: 'a', status: 'failed' }], [entry('a', today)], today);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.blocking[0]).toMatchObject({ key: 'a', expiredQuarantine: today });
  });

  it('says no-tests when there is nothing to judge', () => {
    expect(judgeRun([], [entry('a')], today).verdict).toBe('no-tests');
  });
});
