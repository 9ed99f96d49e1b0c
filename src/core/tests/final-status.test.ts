import { describe, expect, it } from 'vitest';
import { combineFinalStatuses, finalStatus } from './final-status.ts';
import type { AttemptStatus, FinalStatus } from './test-model.ts';

const attempts = (...statuses: AttemptStatus[]) => statuses.map((status) => ({ status }));

describe('finalStatus', () => {
  it.each([
    [['passed'], 'passed'],
    [['failed'], 'failed'],
    [['skipped'], 'skipped'],
    [[], 'skipped'],
    [['failed', 'passed'], 'flaky'],
    [['failed', 'failed', 'passed'], 'flaky'],
    [['passed', 'failed'], 'flaky'],
    [['failed', 'failed'], 'failed'],
    [['skipped', 'failed'], 'failed'],
    [['skipped', 'passed'], 'passed'],
    [['skipped', 'skipped'], 'skipped'],
  ] as [AttemptStatus[], FinalStatus][])('gives %j → %s', (statuses, expected) => {
    expect(finalStatus(attempts(...statuses))).toBe(expected);
  });
});

describe('combineFinalStatuses', () => {
  it.each([
    [['passed', 'passed'], 'passed'],
    [['passed', 'failed'], 'flaky'],
    [['failed', 'skipped'], 'failed'],
    [['flaky', 'passed'], 'flaky'],
    [['skipped'], 'skipped'],
  ] as [FinalStatus[], FinalStatus][])('gives %j → %s', (statuses, expected) => {
    expect(combineFinalStatuses(statuses)).toBe(expected);
  });
});
