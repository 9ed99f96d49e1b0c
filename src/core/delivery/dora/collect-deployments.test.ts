import { describe, expect, it } from 'vitest';
import { hour, inReplayOrder, ledgerEvent as ev } from '../../../testing/ledger-event.ts';
import type { LedgerEvent } from './ledger-event.ts';
import { createDeploymentCollector, hasFailed } from './collect-deployments.ts';

const collect = (events: LedgerEvent[], team?: string) => {
  const collector = createDeploymentCollector({ environment: 'production', team });
  for (const event of inReplayOrder(events)) collector.add(event);
  return collector.finish();
};
const prod = { environment: 'production' };

describe('createDeploymentCollector', () => {
  it('keys a deployment by its id, else by its commit, and ignores events with neither', () => {
    const { list } = collect([
      ev('deploy_started', hour(1), { ...prod, deployment: 'd1', commit: 'c1' }),
      ev('deploy_started', hour(2), { ...prod, commit: 'c2' }),
      ev('deploy_started', hour(3), prod),
      ev('deploy_finished', hour(4), { ...prod, commit: 'c2', result: 'success' }),
    ]);
    expect(list.map((d) => [d.id, d.index])).toEqual([
      ['d1', 0],
      ['c2', 1],
    ]);
    expect(list[1]?.deployedAt).toBe(hour(4));
  });

  it('starts a deployment at deploy_started or canary_started, never at a later event', () => {
    const { list } = collect([
      ev('rollback_triggered', hour(1), { ...prod, deployment: 'early' }),
      ev('canary_promoted', hour(1), { ...prod, deployment: 'early' }),
      ev('canary_started', hour(2), { ...prod, deployment: 'canary' }),
    ]);
    expect(list.map((d) => d.id)).toEqual(['canary']);
  });

  it('takes a deploy_finished with no start before it as a deployment that started when it finished', () => {
    const { list } = collect([
      ev('deploy_finished', hour(1), { ...prod, deployment: 'cdevents', result: 'success' }),
      ev('deploy_finished', hour(2), { ...prod, deployment: 'failed', result: 'failure' }),
      ev('deploy_started', hour(3), { ...prod, deployment: 'started' }),
      ev('deploy_finished', hour(4), { ...prod, deployment: 'started' }),
    ]);
    expect(list.map((d) => [d.id, d.startedAt, d.deployedAt, d.firstFailure])).toEqual([
      ['cdevents', hour(1), hour(1), Infinity],
      ['failed', hour(2), NaN, hour(2)],
      ['started', hour(3), hour(4), Infinity],
    ]);
  });

  it('counts only the production environment, taking an event without one as production', () => {
    const { list } = collect([
      ev('deploy_started', hour(1), { environment: 'staging', deployment: 's' }),
      ev('deploy_started', hour(2), { deployment: 'unsaid' }),
      ev('deploy_finished', hour(3), { environment: 'staging', deployment: 'unsaid' }),
    ]);
    expect(list.map((d) => d.id)).toEqual(['unsaid']);
    // The staging finish belongs to another (unknown) deployment: this one is not deployed.
    expect(list[0]?.deployedAt).toBeNaN();
  });

  it('is deployed at its first promotion or successful finish, and failed by a failed finish', () => {
    const { list } = collect([
      ev('canary_started', hour(1), { ...prod, deployment: 'a' }),
      ev('canary_promoted', hour(2), { ...prod, deployment: 'a' }),
      ev('deploy_finished', hour(3), { ...prod, deployment: 'a', result: 'success' }),
      ev('deploy_started', hour(4), { ...prod, deployment: 'b' }),
      ev('deploy_finished', hour(5), { ...prod, deployment: 'b', result: 'failure' }),
    ]);
    const [a, b] = list;
    expect(a).toMatchObject({ deployedAt: hour(2), firstFailure: Infinity });
    expect(b?.deployedAt).toBeNaN();
    expect(b?.firstFailure).toBe(hour(5));
    expect(list.map(hasFailed)).toEqual([false, true]);
  });

  it('takes the earliest failure signal: canary failed, rollback triggered, failed finish', () => {
    const { list } = collect([
      ev('deploy_started', hour(1), { ...prod, deployment: 'd' }),
      ev('rollback_triggered', hour(4), { ...prod, deployment: 'd' }),
      ev('canary_failed', hour(3), { ...prod, deployment: 'd' }),
      ev('rollback_finished', hour(5), { ...prod, deployment: 'd', result: 'success' }),
      ev('rollback_finished', hour(6), { ...prod, deployment: 'd', result: 'failure' }),
    ]);
    expect(list[0]).toMatchObject({
      firstFailure: hour(3),
      rollbacksTriggered: 1,
      rollbacksOk: [hour(5)],
    });
  });

  it('keeps the team of the start event and filters by it; rework from any event', () => {
    const events = [
      ev('deploy_started', hour(1), { ...prod, deployment: 'a', attributes: { team: 'x' } }),
      ev('deploy_started', hour(2), { ...prod, deployment: 'b', attributes: { team: 'y' } }),
      ev('deploy_finished', hour(3), { ...prod, deployment: 'b', attributes: { hotfix: true } }),
    ];
    const all = collect(events);
    expect(all.list.map((d) => [d.id, d.team, d.rework])).toEqual([
      ['a', 'x', false],
      ['b', 'y', true],
    ]);
    const x = collect(events, 'x');
    expect(x.list.map((d) => d.id)).toEqual(['a']);
    expect(x.byId('b')).toBeUndefined();
  });

  it('finds deployments by commit (own or carried) in start order, and the last one started', () => {
    const deployments = collect([
      ev('deploy_started', hour(1), { ...prod, deployment: 'a', commit: 'c1' }),
      ev('deploy_started', hour(2), {
        ...prod,
        deployment: 'b',
        commit: 'c2',
        commits: ['c1', 'c2'],
      }),
    ]);
    expect(deployments.byCommit('c1')?.map((d) => d.id)).toEqual(['a', 'b']);
    expect(deployments.byCommit('c3')).toBeUndefined();
    expect(deployments.lastStartedBy(hour(1.5))?.id).toBe('a');
    expect(deployments.lastStartedBy(hour(2))?.id).toBe('b');
    expect(deployments.lastStartedBy(hour(0.5))).toBeUndefined();
  });
});
