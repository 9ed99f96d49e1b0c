import { describe, expect, it } from 'vitest';
import { hour, inReplayOrder, ledgerEvent as ev } from '../../../testing/ledger-event.ts';
import { createDeploymentCollector } from './collect-deployments.ts';
import { createCommitTimes, measureLeadTimes } from './lead-time.ts';
import type { LedgerEvent } from './ledger-event.ts';

const prod = { environment: 'production' };
const leadTimes = (events: LedgerEvent[]) => {
  const deployments = createDeploymentCollector({ environment: 'production' });
  const commits = createCommitTimes();
  for (const event of inReplayOrder(events)) {
    deployments.add(event);
    commits.add(event);
  }
  const { list } = deployments.finish();
  return measureLeadTimes(list, list, commits);
};
const deployed = (at: number, deployment: string, fields: Partial<LedgerEvent>) => [
  ev('deploy_started', at, { ...prod, deployment, ...fields }),
  ev('deploy_finished', at + 1_800_000, { ...prod, deployment, result: 'success' }),
];

describe('measureLeadTimes', () => {
  it('measures from the first commit after the previous deployment, up to the deployed one', () => {
    expect(
      leadTimes([
        ev('commit_created', hour(0), { commit: 'c1' }),
        ...deployed(hour(1), 'd1', { commit: 'c1' }),
        ev('commit_created', hour(2), { commit: 'c2' }),
        ev('commit_created', hour(3), { commit: 'c3' }),
        ev('commit_created', hour(5), { commit: 'c4' }), // after d2's commit: not its change
        ...deployed(hour(4), 'd2', { commit: 'c3' }),
      ]),
    ).toEqual([1.5 * 3_600, 2.5 * 3_600]);
  });

  it('uses the earliest known commit of `commits` when the deployment lists them', () => {
    expect(
      leadTimes([
        ev('commit_created', hour(1), { commit: 'a' }),
        ev('commit_created', hour(2), { commit: 'b' }),
        ...deployed(hour(3), 'd', { commit: 'b', commits: ['b', 'a', 'unknown'] }),
      ]),
    ).toEqual([2.5 * 3_600]);
  });

  it('has no lead time for a deployed commit without a commit event, nor for commits none known', () => {
    expect(
      leadTimes([
        ...deployed(hour(1), 'no-commit-event', { commit: 'x' }),
        ...deployed(hour(2), 'no-known-commits', { commits: ['y', 'z'] }),
        ...deployed(hour(3), 'no-commit-at-all', {}),
      ]),
    ).toEqual([]);
  });

  it('has no lead time for a deployment that never reached production', () => {
    expect(
      leadTimes([
        ev('commit_created', hour(0), { commit: 'c' }),
        ev('deploy_started', hour(1), { ...prod, deployment: 'd', commit: 'c' }),
        ev('deploy_finished', hour(2), { ...prod, deployment: 'd', result: 'failure' }),
      ]),
    ).toEqual([]);
  });

  it('takes the first commit_created of a commit sent twice', () => {
    expect(
      leadTimes([
        ev('commit_created', hour(1), { commit: 'c' }),
        ev('commit_created', hour(2), { commit: 'c' }),
        ...deployed(hour(3), 'd', { commit: 'c' }),
      ]),
    ).toEqual([2.5 * 3_600]);
  });
});
