import { describe, expect, it } from 'vitest';
import { classifyTest, type TestWindowStats } from './classify-test.ts';

const now = new Date('2026-11-22T12:00:00Z');
const base: TestWindowStats = {
  testId: 'id',
  key: 'k',
  name: 'n',
  suite: null,
  file: null,
  executions: 40,
  passed: 40,
  failed: 0,
  retryFlaky: 0,
  skipped: 0,
  systemicFailures: 0,
  flips: 0,
  sameCommitFailures: 0,
  lastFlakyAt: null,
  cleanSinceFlaky: 0,
  defaultFailStreak: 0,
};

describe('classifyTest', () => {
  it('calls a test that always passes healthy', () => {
    expect(classifyTest(base, now)).toEqual({
      classification: 'healthy',
      signals: [],
      flakyRate: 0,
      flakyExecutions: 0,
      flakyBySignal: { retry: 0, sameCommit: 0, failureRate: 0 },
    });
  });

  it('calls a test that passed after a retry flaky, with its rate', () => {
    expect(
      classifyTest(
        { ...base, passed: 38, retryFlaky: 2, lastFlakyAt: '2026-11-21T00:00:00Z' },
        now,
      ),
    ).toEqual({
      classification: 'flaky',
      signals: ['retry'],
      flakyRate: 0.05,
      flakyExecutions: 2,
      flakyBySignal: { retry: 2, sameCommit: 0, failureRate: 0 },
    });
  });

  it('calls same-commit conflicts flaky even with few executions', () => {
    expect(
      classifyTest({ ...base, executions: 3, passed: 2, failed: 1, sameCommitFailures: 1 }, now)
        .classification,
    ).toBe('flaky');
  });

  it('needs both a failure rate and a flip rate without direct evidence', () => {
    const noisy = { ...base, passed: 34, failed: 6, flips: 10 };
    expect(classifyTest(noisy, now).signals).toEqual(['failure-rate', 'flip-rate']);
    expect(classifyTest({ ...noisy, flips: 1 }, now).classification).toBe('healthy');
  });

  it('counts the failures of a test flaky by failure rate as flaky executions (a retry-hiding reporter)', () => {
    const hidden = { ...base, passed: 32, failed: 8, flips: 12, sameCommitFailures: 2 };
    expect(classifyTest(hidden, now)).toMatchObject({
      classification: 'flaky',
      flakyExecutions: 8,
      flakyRate: 0.2,
      flakyBySignal: { retry: 0, sameCommit: 2, failureRate: 6 },
    });
  });

  it('calls a test failing its last runs on the default branch broken, never flaky', () => {
    const broken = { ...base, passed: 30, failed: 10, flips: 1, defaultFailStreak: 10 };
    expect(classifyTest(broken, now).classification).toBe('broken');
    // Its failures are a defect, not flakiness: they spend no budget.
    expect(classifyTest({ ...broken, flips: 9 }, now)).toMatchObject({
      classification: 'broken',
      flakyExecutions: 0,
    });
    expect(classifyTest({ ...broken, defaultFailStreak: 2 }, now).classification).toBe('healthy');
  });

  it('ignores systemic failures and skips when counting', () => {
    expect(
      classifyTest({ ...base, executions: 12, passed: 2, skipped: 5, systemicFailures: 5 }, now)
        .classification,
    ).toBe('insufficient-data');
  });

  it('keeps a test flaky until 7 quiet days and 50 clean executions have passed', () => {
    const recovering = { ...base, lastFlakyAt: '2026-11-10T00:00:00Z', cleanSinceFlaky: 49 };
    expect(classifyTest(recovering, now)).toMatchObject({
      classification: 'flaky',
      signals: ['recovering'],
    });
    expect(classifyTest({ ...recovering, cleanSinceFlaky: 50 }, now).classification).toBe(
      'healthy',
    );
    expect(
      classifyTest({ ...recovering, cleanSinceFlaky: 80, lastFlakyAt: '2026-11-20T00:00:00Z' }, now)
        .classification,
    ).toBe('flaky');
  });

  it('says insufficient-data below the minimum sample without evidence', () => {
    expect(classifyTest({ ...base, executions: 9, passed: 9 }, now).classification).toBe(
      'insufficient-data',
    );
  });
});
