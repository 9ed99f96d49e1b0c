import { describe, expect, it } from 'vitest';
import { hour, inReplayOrder, ledgerEvent as ev } from '../../../testing/ledger-event.ts';
import type { LedgerEvent } from './ledger-event.ts';
import { createStageTimes, mergeStageSpans, summariseStageSpans } from './stage-latency.ts';

const options = { from: hour(0), to: hour(24), environment: 'production' };
const spansOf = (events: LedgerEvent[]) => {
  const stages = createStageTimes(options);
  for (const event of inReplayOrder(events)) stages.add(event);
  return stages.spans();
};
const latency = (events: LedgerEvent[]) => summariseStageSpans(spansOf(events));

describe('stage latency', () => {
  it('measures consecutive stages a change went through, skipping the ones it did not', () => {
    expect(
      latency([
        ev('commit_created', hour(1), { commit: 'c' }),
        ev('tests_passed', hour(2), { commit: 'c' }),
        ev('deploy_started', hour(4), { commit: 'c', environment: 'production' }),
      ]),
    ).toEqual([
      { from: 'commit_created', to: 'tests_passed', p50: 3_600, p90: 3_600, count: 1 },
      { from: 'tests_passed', to: 'deploy_started', p50: 7_200, p90: 7_200, count: 1 },
    ]);
  });

  it('takes a canary start as the deployment starting, and the first time of each stage', () => {
    expect(
      latency([
        ev('policy_passed', hour(1), { commit: 'c' }),
        ev('policy_passed', hour(1.5), { commit: 'c' }),
        ev('canary_started', hour(2), { commit: 'c' }),
        ev('canary_promoted', hour(3), { commit: 'c' }),
      ]),
    ).toEqual([
      { from: 'policy_passed', to: 'deploy_started', p50: 3_600, p90: 3_600, count: 1 },
      { from: 'deploy_started', to: 'canary_promoted', p50: 3_600, p90: 3_600, count: 1 },
    ]);
  });

  it('ignores deployment stages outside production, events outside the window, and no commit', () => {
    expect(
      latency([
        ev('commit_created', hour(1), { commit: 'c' }),
        ev('deploy_started', hour(2), { commit: 'c', environment: 'staging' }),
        ev('canary_promoted', hour(25), { commit: 'c' }),
        ev('artifact_built', hour(2), {}),
        ev('tests_failed', hour(2), { commit: 'c' }),
      ]),
    ).toEqual([]);
  });

  it('leaves out a negative span (a later stage seen first)', () => {
    expect(
      latency([
        ev('tests_passed', hour(1), { commit: 'c' }),
        ev('artifact_built', hour(2), { commit: 'c' }),
        ev('security_scanned', hour(4), { commit: 'c' }),
      ]),
    ).toEqual([
      { from: 'tests_passed', to: 'security_scanned', p50: 10_800, p90: 10_800, count: 1 },
    ]);
  });

  it('merges services and summarises p50 and p90 over every change', () => {
    const change = (commit: string, minutes: number) => [
      ev('commit_created', hour(1), { commit }),
      ev('artifact_built', hour(1) + minutes * 60_000, { commit }),
    ];
    const a = spansOf([...change('a1', 10), ...change('a2', 20)]);
    const b = spansOf(change('b1', 60));
    expect(summariseStageSpans(mergeStageSpans([a, b]))).toEqual([
      // numpy.percentile([600, 1200, 3600], [50, 90]) = 1200, 3120
      { from: 'commit_created', to: 'artifact_built', p50: 1_200, p90: 3_120, count: 3 },
    ]);
    // The inputs are left as they were.
    expect([...a.values()]).toEqual([[600, 1_200]]);
  });
});
