import { compareText } from '../lib/compare-text.ts';
import { quarantineStatus, type QuarantineEntry } from './quarantine.ts';
import type { FinalStatus } from '../tests/test-model.ts';

export type JudgedTest = { key: string; status: FinalStatus; message?: string | undefined };

export type RunVerdict = {
  /** `pass`: nothing blocks; `fail`: a failure is not forgiven; `no-tests`: nothing to judge. */
  verdict: 'pass' | 'fail' | 'no-tests';
  tests: number;
  /** Failed tests whose active quarantine entry forgives them. */
  forgiven: (JudgedTest & { owner: string; reason: string; issue?: string | undefined })[];
  /** Failed tests that block: not quarantined, or quarantined by an expired entry. */
  blocking: (JudgedTest & { expiredQuarantine?: string | undefined })[];
  /** Passed after a failed attempt: not blocking, but worth knowing. */
  flaky: JudgedTest[];
};

/**
 * Judges one CI run: it passes when every failed test is forgiven by a quarantine entry that has
 * not expired on `today` (either mode: a `skip` entry whose test ran anyway is still forgiven),
 * or nothing failed; `no-tests` when there are no tests. Flaky tests (passed on retry) never block.
 */
export function judgeRun(
  tests: readonly JudgedTest[],
  entries: readonly QuarantineEntry[],
  today: string,
): RunVerdict {
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const forgiven: RunVerdict['forgiven'] = [];
  const blocking: RunVerdict['blocking'] = [];
  const flaky: JudgedTest[] = [];
  for (const test of [...tests].sort((a, b) => compareText(a.key, b.key))) {
    if (test.status === 'flaky') flaky.push(test);
    if (test.status !== 'failed') continue;
    const entry = byKey.get(test.key);
    if (entry && quarantineStatus(entry, today) !== 'expired') {
      forgiven.push({ ...test, owner: entry.owner, reason: entry.reason, issue: entry.issue });
    } else {
      blocking.push(entry ? { ...test, expiredQuarantine: entry.expires } : test);
    }
  }
  const verdict = tests.length === 0 ? 'no-tests' : blocking.length > 0 ? 'fail' : 'pass';
  return { verdict, tests: tests.length, forgiven, blocking, flaky };
}
