import { describe, expect, it } from 'vitest';
import { hour, ledgerEvent as ev } from '../../../testing/ledger-event.ts';
import type { Deployment } from './collect-deployments.ts';
import { countRollbacks, createRollbackTally, measureRecovery } from './recovery.ts';

const deployment = (fields: Partial<Deployment>): Deployment => ({
  id: 'd',
  commit: null,
  commits: null,
  team: null,
  startedAt: hour(0),
  deployedAt: NaN,
  firstFailure: Infinity,
  rollbacksTriggered: 0,
  rollbacksOk: null,
  rework: false,
  incidentsResolved: null,
  index: 0,
  ...fields,
});

describe('measureRecovery', () => {
  it('measures detection from the start and recovery to the first rollback after the failure', () => {
    expect(
      measureRecovery([
        deployment({ firstFailure: hour(1), rollbacksOk: [hour(0.5), hour(3), hour(2)] }),
      ]),
    ).toEqual({ detections: [3_600], recoveries: [3_600], unrecovered: 0 });
  });

  it('falls back to the resolution of a linked incident, ignoring earlier or missing ones', () => {
    expect(
      measureRecovery([
        deployment({ firstFailure: hour(2), incidentsResolved: [null, hour(1), hour(5), hour(4)] }),
      ]),
    ).toEqual({ detections: [7_200], recoveries: [7_200], unrecovered: 0 });
  });

  it('takes the first restoration, a rollback or an incident resolution, whichever came first', () => {
    expect(
      measureRecovery([
        deployment({ firstFailure: hour(1), rollbacksOk: [hour(4)], incidentsResolved: [hour(2)] }),
        deployment({ firstFailure: hour(1), rollbacksOk: [hour(3)], incidentsResolved: [hour(5)] }),
      ]).recoveries,
    ).toEqual([3_600, 2 * 3_600]);
  });

  it('counts a failure not yet restored as unrecovered, in no duration', () => {
    expect(
      measureRecovery([deployment({ firstFailure: hour(1), rollbacksOk: [hour(0.5)] })]),
    ).toEqual({ detections: [3_600], recoveries: [], unrecovered: 1 });
  });
});

describe('countRollbacks', () => {
  it('adds up triggered and successful rollbacks of the deployments', () => {
    expect(
      countRollbacks([
        deployment({ rollbacksTriggered: 2, rollbacksOk: [hour(1)] }),
        deployment({ rollbacksTriggered: 1 }),
      ]),
    ).toEqual({ triggered: 3, ok: 1 });
  });
});

describe('createRollbackTally', () => {
  it('counts every finished rollback, any environment, a result other than failure as success', () => {
    const tally = createRollbackTally();
    for (const event of [
      ev('rollback_finished', hour(1), { environment: 'staging', result: 'failure' }),
      ev('rollback_finished', hour(2), { result: 'success' }),
      ev('rollback_finished', hour(3)),
      ev('rollback_triggered', hour(4)),
    ])
      tally.add(event);
    expect(tally.finished).toEqual({ ok: 2, failed: 1 });
  });
});
