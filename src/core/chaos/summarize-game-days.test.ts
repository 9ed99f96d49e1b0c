import { describe, expect, it } from 'vitest';
import { ChaosExperiment } from './chaos-experiment.ts';
import { validExperiment } from '../../testing/chaos-experiment-fixture.ts';
import { scheduleChaos } from './chaos-schedule.ts';
import type { GameDayRecord } from './game-day-record.ts';
import { quarterOf, summarizeGameDays } from './summarize-game-days.ts';

const record = (date: string, change: Partial<GameDayRecord> = {}): GameDayRecord => ({
  experiment: 'payments-pod-loss',
  service: 'payments',
  date,
  recordedAt: `${date}T10:00:00Z`,
  environment: 'staging',
  result: { status: 'completed', deviated: false },
  findings: [],
  ...change,
});

describe('summarizeGameDays', () => {
  it('names quarters', () => {
    expect(['2026-01-01', '2026-03-31', '2026-04-01', '2026-12-31'].map(quarterOf)).toEqual([
      '2026Q1',
      '2026Q1',
      '2026Q2',
      '2026Q4',
    ]);
  });

  it('counts game days, experiments, deviations and rollback times per quarter, newest first', () => {
    const quarters = summarizeGameDays([
      record('2026-10-02', {
        rollback: { executed: true, actions: ['payments'], durationSeconds: 40, verified: true },
      }),
      record('2026-11-02', {
        experiment: 'search-latency',
        result: { status: 'deviated', deviated: true },
        rollback: { executed: true, actions: [], durationSeconds: 100, verified: false },
        findings: [{ summary: 'alert late' }, { summary: 'runbook stale' }],
      }),
      record('2026-12-02', {
        result: { status: 'aborted', deviated: false },
        rollback: { executed: true, actions: [], durationSeconds: 70, verified: true },
      }),
      record('2026-07-01'),
    ]);
    expect(quarters.map((q) => q.quarter)).toEqual(['2026Q4', '2026Q3']);
    expect(quarters[0]).toMatchObject({
      gameDays: 3,
      experimentsRun: 2,
      completed: 1,
      deviations: 1,
      aborted: 1,
      findings: 2,
      rollbackSecondsMedian: 70,
      rollbackSecondsMax: 100,
    });
    expect(quarters[0]?.rollbacks.map((r) => [r.date, r.durationSeconds, r.verified])).toEqual([
      ['2026-10-02', 40, true],
      ['2026-11-02', 100, false],
      ['2026-12-02', 70, true],
    ]);
    expect(quarters[1]).toMatchObject({ gameDays: 1, rollbacks: [], rollbackSecondsMedian: null });
  });

  it('answers an asked quarter without game days with zeros', () => {
    expect(summarizeGameDays([record('2026-07-01')], '2026Q4')).toEqual([
      expect.objectContaining({ quarter: '2026Q4', gameDays: 0, experimentsRun: 0 }),
    ]);
  });
});

describe('scheduleChaos', () => {
  const experiment = ChaosExperiment.parse(validExperiment); // cadence 30d
  it('is due without a game day, and due again a cadence after the last one', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    expect(scheduleChaos([experiment], [], now)[0]).toMatchObject({
      lastGameDay: null,
      nextDue: null,
      isDue: true,
    });
    const rows = scheduleChaos([experiment], [record('2026-10-01'), record('2026-11-01')], now);
    expect(rows[0]).toMatchObject({
      lastGameDay: '2026-11-01',
      nextDue: '2026-12-01',
      isDue: false,
      cadenceDays: 30,
    });
    expect(scheduleChaos([experiment], [record('2026-10-21')], now)[0]).toMatchObject({
      nextDue: '2026-11-20',
      isDue: true,
    });
  });
});
