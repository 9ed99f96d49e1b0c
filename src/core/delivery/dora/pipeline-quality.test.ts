import { describe, expect, it } from 'vitest';
import { hour, inReplayOrder, ledgerEvent as ev } from '../../../testing/ledger-event.ts';
import { createDeploymentCollector } from './collect-deployments.ts';
import type { LedgerEvent } from './ledger-event.ts';
import { createPolicyDecisions, measurePipelineQuality } from './pipeline-quality.ts';

const prod = { environment: 'production' };
const window = { from: hour(0), to: hour(24) };
const quality = (events: LedgerEvent[]) => {
  const deployments = createDeploymentCollector({ environment: 'production' });
  const policy = createPolicyDecisions(window);
  for (const event of inReplayOrder(events)) {
    deployments.add(event);
    policy.add(event);
  }
  const production = deployments.finish();
  return measurePipelineQuality(production.list, production, policy);
};

describe('measurePipelineQuality', () => {
  it('counts a deployment as passed only when its commit passed policy before it started', () => {
    expect(
      quality([
        ev('policy_passed', hour(1), { commit: 'a' }),
        ev('deploy_started', hour(2), { ...prod, deployment: 'da', commit: 'a' }),
        ev('canary_failed', hour(3), { ...prod, deployment: 'da' }),
        ev('deploy_started', hour(4), { ...prod, deployment: 'db', commit: 'b' }),
        ev('policy_passed', hour(5), { commit: 'b' }), // too late for db
      ]),
    ).toMatchObject({ passedPolicy: 1, passedPolicyThenFailed: 1 });
  });

  it('counts a blocked commit as good only when it shipped unchanged later and nothing failed', () => {
    expect(
      quality([
        ev('policy_failed', hour(1), { commit: 'good' }),
        ev('deploy_started', hour(2), { ...prod, deployment: 'g', commit: 'good' }),
        ev('policy_failed', hour(1), { commit: 'bad' }),
        ev('deploy_started', hour(2), { ...prod, deployment: 'b1', commit: 'bad' }),
        ev('deploy_started', hour(3), { ...prod, deployment: 'b2', commit: 'bad' }),
        ev('rollback_triggered', hour(4), { ...prod, deployment: 'b2' }),
        ev('policy_failed', hour(5), { commit: 'never-shipped' }),
        ev('deploy_started', hour(1), { ...prod, deployment: 'e', commit: 'shipped-before' }),
        ev('policy_failed', hour(6), { commit: 'shipped-before' }),
        ev('deploy_started', hour(7), {
          ...prod,
          deployment: 'x',
          commit: 'other',
          commits: ['carried'],
        }),
        ev('policy_failed', hour(6), { commit: 'carried' }), // not shipped unchanged
      ]),
    ).toMatchObject({ blockedByPolicy: 5, blockedButGood: 1 });
  });

  it('counts only blocks in the window, and passes at any time', () => {
    expect(
      quality([
        ev('policy_failed', hour(-1), { commit: 'old' }),
        ev('policy_failed', hour(25), { commit: 'future' }),
        ev('policy_passed', hour(-48), { commit: 'a' }),
        ev('deploy_started', hour(1), { ...prod, deployment: 'd', commit: 'a' }),
      ]),
    ).toEqual({
      passedPolicy: 1,
      passedPolicyThenFailed: 0,
      blockedByPolicy: 0,
      blockedButGood: 0,
    });
  });
});
