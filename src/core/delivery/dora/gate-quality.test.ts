import { describe, expect, it } from 'vitest';
import { hour, inReplayOrder, ledgerEvent as ev } from '../../../testing/ledger-event.ts';
import { createDeploymentCollector } from './collect-deployments.ts';
import { combineGateQuality, createGateDecisions } from './gate-quality.ts';
import type { LedgerEvent } from './ledger-event.ts';

const prod = { environment: 'production' };
const window = { from: hour(0), to: hour(24) };
const gate = (checklist: string, failing: string[] = []) => ({
  attributes: { gate: 'candor', checklist, failing },
});
const measure = (events: LedgerEvent[]) => {
  const deployments = createDeploymentCollector({ environment: 'production' });
  const gates = createGateDecisions(window);
  for (const event of inReplayOrder(events)) {
    deployments.add(event);
    gates.add(event);
  }
  const production = deployments.finish();
  return gates.measure(production.list, production);
};

describe('gate quality per checklist', () => {
  it('counts, per checklist, false positives, true catches and false negatives', () => {
    const counts = measure([
      // change blocked c1 for todo, and c1 shipped unchanged and was fine: a false positive.
      ev('policy_failed', hour(1), { commit: 'c1', ...gate('change', ['todo TODO/FIXME']) }),
      ev('deploy_started', hour(2), { ...prod, deployment: 'd1', commit: 'c1' }),
      // change blocked c2, which never shipped: a true catch.
      ev('policy_failed', hour(1), { commit: 'c2', ...gate('change', ['coverage']) }),
      // change blocked c3, which shipped and failed: a true catch.
      ev('policy_failed', hour(1), { commit: 'c3', ...gate('change', ['todo TODO/FIXME']) }),
      ev('deploy_started', hour(3), { ...prod, deployment: 'd3', commit: 'c3' }),
      ev('rollback_triggered', hour(4), { ...prod, deployment: 'd3' }),
      // release passed c4 and c5; c5's deployment failed: a false negative.
      ev('policy_passed', hour(5), { commit: 'c4', ...gate('release') }),
      ev('deploy_started', hour(6), { ...prod, deployment: 'd4', commit: 'c4' }),
      ev('policy_passed', hour(5), { commit: 'c5', ...gate('release') }),
      ev('deploy_started', hour(6), { ...prod, deployment: 'd5', commit: 'c5' }),
      ev('canary_failed', hour(7), { ...prod, deployment: 'd5' }),
      // a policy event of another tool (no checklist).
      ev('policy_failed', hour(8), { commit: 'c6' }),
    ]);
    expect(combineGateQuality([counts])).toEqual([
      {
        checklist: '(unnamed)',
        blocked: 1,
        blockedThenShipped: 0,
        trueCatches: 1,
        passed: 0,
        passedThenFailed: 0,
        falsePositiveShare: 0,
        falseNegativeShare: null,
        falsePositiveConditions: [],
      },
      {
        checklist: 'change',
        blocked: 3,
        blockedThenShipped: 1,
        trueCatches: 2,
        passed: 0,
        passedThenFailed: 0,
        falsePositiveShare: 0.333333,
        falseNegativeShare: null,
        falsePositiveConditions: [{ name: 'todo TODO/FIXME', count: 1 }],
      },
      {
        checklist: 'release',
        blocked: 0,
        blockedThenShipped: 0,
        trueCatches: 0,
        passed: 2,
        passedThenFailed: 1,
        falsePositiveShare: null,
        falseNegativeShare: 0.5,
        falsePositiveConditions: [],
      },
    ]);
  });

  it('adds services up, the conditions of false positives most often first', () => {
    const a = measure([
      ev('policy_failed', hour(1), { commit: 'a', ...gate('change', ['todo', 'coverage']) }),
      ev('deploy_started', hour(2), { ...prod, deployment: 'da', commit: 'a' }),
    ]);
    const b = measure([
      ev('policy_failed', hour(1), { commit: 'b', ...gate('change', ['coverage']) }),
      ev('deploy_started', hour(2), { ...prod, deployment: 'db', commit: 'b' }),
      ev('policy_failed', hour(30), { commit: 'late', ...gate('change') }), // after the window
    ]);
    expect(combineGateQuality([a, b])).toMatchObject([
      {
        checklist: 'change',
        blocked: 2,
        blockedThenShipped: 2,
        trueCatches: 0,
        falsePositiveShare: 1,
        falsePositiveConditions: [
          { name: 'coverage', count: 2 },
          { name: 'todo', count: 1 },
        ],
      },
    ]);
  });
});
