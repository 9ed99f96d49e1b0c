import { describe, expect, it } from 'vitest';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import type { CanaryReplayEvidence, GateLedgerEvent } from '../gate-condition.ts';
import { EventsOptions, eventsCondition } from './events-condition.ts';

const now = new Date('2026-12-02T12:00:00Z');
const at = (daysAgo: number, hours = 0) =>
  new Date(now.getTime() - daysAgo * 86_400_000 + hours * 3_600_000).toISOString();
const event = (
  type: string,
  occurredAt: string,
  fields: Partial<GateLedgerEvent> = {},
): GateLedgerEvent => ({ type, occurredAt, service: 'shop', environment: 'production', ...fields });

/** c1 passed the change gate, shipped as d1, failed; INC-1 names d1, rolled back, resolved. */
const incident = (resolved: boolean): GateLedgerEvent[] => [
  event('policy_passed', at(3), { commit: 'c1', attributes: { checklist: 'change' } }),
  event('policy_passed', at(3, 1), { commit: 'c1', attributes: { checklist: 'release' } }),
  event('deploy_started', at(3, 2), { deployment: 'd1', commit: 'c1' }),
  event('incident_opened', at(2), { incident: 'INC-1', deployment: 'd1' }),
  event('rollback_triggered', at(2, 1), { deployment: 'd1' }),
  ...(resolved ? [event('incident_resolved', at(2, 2), { incident: 'INC-1' })] : []),
];
const regression = [{ key: 'refund rounds half up', firstSeenAt: at(1) }];

/** The quarter: change caught c2 (never shipped); release blocked c3, which shipped fine. */
const quarter: GateLedgerEvent[] = [
  event('policy_failed', at(30), { commit: 'c2', attributes: { checklist: 'change' } }),
  event('policy_failed', at(20), {
    commit: 'c3',
    attributes: { checklist: 'release', failing: ['drill'] },
  }),
  event('deploy_started', at(19), { deployment: 'd3', commit: 'c3' }),
  event('deploy_finished', at(19, 1), { deployment: 'd3', commit: 'c3', result: 'success' }),
  event('deploy_started', at(120), { deployment: 'd0', commit: 'c0' }),
  event('canary_failed', at(120, 1), { deployment: 'd0' }),
];

runGateConditionConformance({
  condition: eventsCondition,
  samples: {
    pass: {
      options: { check: 'incident' },
      context: fakeGateContext({
        now,
        service: 'shop',
        events: incident(true),
        newTests: regression,
      }),
      result: 'pass',
    },
    fail: {
      options: { check: 'incident', incident: 'INC-1' },
      context: fakeGateContext({ now, service: 'shop', events: incident(false) }),
      result: 'fail',
    },
    warn: {
      options: { check: 'quarter' },
      context: fakeGateContext({ now, service: 'shop', events: quarter }),
      result: 'warn',
    },
  },
});

const decide = async (
  options: Record<string, unknown>,
  events: GateLedgerEvent[],
  newTests?: { key: string; firstSeenAt: string }[],
  extra: Parameters<typeof fakeGateContext>[0] = {},
) => {
  const parsed = EventsOptions.parse(options);
  const context = fakeGateContext({
    now,
    service: 'shop',
    events,
    ...(newTests === undefined ? {} : { newTests }),
    ...extra,
  });
  const evidence = await eventsCondition.gather(parsed, context);
  return evidence.kind === 'found'
    ? eventsCondition.evaluate(evidence.value, parsed, now)
    : evidence;
};

describe('eventsCondition, the incident checklist', () => {
  it('passes a followed-up incident, naming the gates that passed the failed change', async () => {
    expect(await decide({ check: 'incident' }, incident(true), regression)).toMatchObject({
      result: 'pass',
      value: 'complete',
      message:
        'incident INC-1: linked to deployment d1, MTTR 120 min, rolled back, regression test(s) refund rounds half up, gates that passed it (update them): change and release',
    });
  });

  it('fails an incident with no resolution, no regression test, no link', async () => {
    const events = [event('incident_opened', at(2), { incident: 'INC-2' })];
    expect(
      await decide({ check: 'incident', incident: 'INC-2' }, events, [
        { key: 'old test', firstSeenAt: at(5) },
      ]),
    ).toMatchObject({
      result: 'fail',
      value: '3 missing',
      message: expect.stringContaining(
        'not linked to a deployment or commit; no incident_resolved: MTTR not recorded; no regression test',
      ) as string,
    });
    expect(
      await decide({ check: 'incident', incident: 'INC-2', regressionTest: false }, events),
    ).toMatchObject({ value: '2 missing' });
  });

  it('is no evidence without an incident in the period, or without a service', async () => {
    expect(await decide({ check: 'incident', incident: 'INC-9' }, incident(true))).toMatchObject({
      kind: 'missing',
      expected: 'an incident_opened event of incident INC-9 of shop in the last 90 days',
    });
  });
});

describe('eventsCondition, the quarter checklist', () => {
  it('warns on a gate with no true catch, with the DORA trend', async () => {
    expect(await decide({ check: 'quarter' }, quarter)).toMatchObject({
      result: 'warn',
      value: '1 gate to kill: release',
      message:
        'shop, last 90 days: deployments 1 → 1, change failure rate 100.0% → 0.0%; change: 1 caught, 0 false positive(s), 0 false negative(s); release: 0 caught, 1 false positive(s), 0 false negative(s); no true catch: release (candidates to kill or tighten)',
    });
  });

  it('passes when every gate caught something, and is no evidence without policy events', async () => {
    expect(await decide({ check: 'quarter' }, quarter.slice(0, 1))).toMatchObject({
      result: 'pass',
      value: '1 gate caught something',
    });
    expect(await decide({ check: 'quarter' }, quarter.slice(2))).toMatchObject({
      kind: 'missing',
    });
  });
});

describe('eventsCondition, the quarter checklist with canary replays', () => {
  const caught = quarter.slice(0, 1);
  const recordings = {
    'canary/2026-10-01/analysis.json': '{}',
    'canary/2026-11-12/analysis.json': '{}',
  };
  const unchanged: CanaryReplayEvidence = {
    ok: true,
    recorded: 'promote',
    replayed: 'promote',
    changed: [],
  };

  it('passes when no recorded verdict would change with today’s thresholds', async () => {
    expect(
      await decide({ check: 'quarter', replays: 'canary/*' }, caught, undefined, {
        files: recordings,
        replays: { 'canary/2026-10-01': unchanged, 'canary/2026-11-12': unchanged },
      }),
    ).toMatchObject({
      result: 'pass',
      value: '1 gate caught something; replays unchanged',
      message: expect.stringContaining(
        "2 canary replays: no verdict would change with today's thresholds",
      ) as string,
    });
  });

  it('warns naming each recording whose verdict would change, and why', async () => {
    expect(
      await decide({ check: 'quarter', replays: ['canary/*'] }, caught, undefined, {
        files: recordings,
        replays: {
          'canary/2026-10-01': unchanged,
          'canary/2026-11-12': {
            ok: true,
            recorded: 'promote',
            replayed: 'rollback',
            changed: [{ metric: 'error-rate', from: 'pass', to: 'fail' }],
          },
        },
      }),
    ).toMatchObject({
      result: 'warn',
      value: '1 gate caught something; 1 canary verdict would change',
      message: expect.stringContaining(
        "today's thresholds would change 1 verdict: canary/2026-11-12 promote → rollback (error-rate pass → fail)",
      ) as string,
    });
  });

  it('warns with no evidence for the replays when no recording matches, or none can be judged', async () => {
    expect(
      await decide({ check: 'quarter', replays: 'canary/*' }, caught, undefined, { replays: {} }),
    ).toMatchObject({
      result: 'warn',
      value: '1 gate caught something; no canary recordings',
      message: expect.stringContaining(
        'no evidence: no canary recording (analysis.json of candor canary analyze --record DIR) at canary/*',
      ) as string,
    });
    expect(
      await decide({ check: 'quarter', replays: 'canary/*' }, caught, undefined, {
        files: recordings,
      }),
    ).toMatchObject({
      result: 'warn',
      message: expect.stringContaining(
        'not judged: candor.yml has no canary: section to judge them with',
      ) as string,
    });
    expect(
      await decide({ check: 'quarter', replays: 'canary/*' }, caught, undefined, {
        files: recordings,
        replays: { 'canary/2026-10-01': unchanged },
      }),
    ).toMatchObject({
      result: 'warn',
      message: expect.stringContaining(
        'could not replay canary/2026-11-12: canary/2026-11-12: no recording',
      ) as string,
    });
  });

  it('refuses replays outside the quarter checklist', () => {
    expect(() => EventsOptions.parse({ check: 'incident', replays: 'canary/*' })).toThrow(
      'replays: only with check: quarter',
    );
  });
});
