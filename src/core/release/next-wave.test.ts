import { describe, expect, it } from 'vitest';
import { nextWave, type ReleaseEvent } from './next-wave.ts';
import { ReleasePlan } from './release-plan.ts';

const plan = ReleasePlan.parse({
  waves: [
    { name: 'canary-region', environments: ['ap-southeast-2'], bake: '30m', requires: ['canary'] },
    { name: 'big-two', environments: ['eu-west-1', 'us-east-1'], bake: '1h', approval: true },
    { name: 'rest', environments: ['us-west-2', 'sa-east-1'] },
  ],
});
const t = (minutes: number) =>
  new Date(Date.parse('2026-12-01T10:00:00Z') + minutes * 60_000).toISOString();
const event = (
  type: ReleaseEvent['type'],
  environment: string,
  minutes: number,
  extra: Partial<ReleaseEvent> = {},
): ReleaseEvent => ({
  type,
  environment,
  occurredAt: t(minutes),
  result: undefined,
  attributes: undefined,
  ...extra,
});
const finished = (environment: string, minutes: number) =>
  event('deploy_finished', environment, minutes, { result: 'success' });
const approved = (wave: string, minutes: number) =>
  event('release_approved', undefined as unknown as string, minutes, {
    attributes: { wave, by: '@rel' },
  });

describe('nextWave', () => {
  it('lets the first wave go before anything is deployed', () => {
    expect(nextWave(plan, [], t(0))).toMatchObject({
      decision: 'go',
      wave: 'canary-region',
      environments: ['ap-southeast-2'],
    });
  });

  it('waits while a wave deploys, then bakes, then for its canary verdict', () => {
    const deploying = [event('canary_started', 'ap-southeast-2', 0)];
    expect(nextWave(plan, deploying, t(5))).toMatchObject({
      decision: 'wait',
      wave: 'canary-region',
      reason: 'wave canary-region is deploying: ap-southeast-2: deploying',
    });
    const deployed = [...deploying, finished('ap-southeast-2', 10)];
    expect(nextWave(plan, deployed, t(20))).toMatchObject({
      decision: 'wait',
      until: t(40),
      reason: `wave canary-region is baking until ${t(40)}`,
    });
    expect(nextWave(plan, deployed, t(41))).toMatchObject({
      decision: 'wait',
      reason:
        'wave canary-region waits for its canary verdict: ap-southeast-2: no canary_promoted yet',
    });
  });

  it('then waits for the approval the next wave needs, and lets it go once approved', () => {
    const done = [
      event('canary_started', 'ap-southeast-2', 0),
      event('canary_promoted', 'ap-southeast-2', 10),
    ];
    expect(nextWave(plan, done, t(45))).toMatchObject({
      decision: 'wait',
      wave: 'big-two',
      reason: 'wave big-two needs an approval: candor release approve --wave big-two',
    });
    const next = nextWave(plan, [...done, approved('big-two', 46)], t(47));
    expect(next).toMatchObject({
      decision: 'go',
      wave: 'big-two',
      environments: ['eu-west-1', 'us-east-1'],
      reason: 'deploy wave big-two: eu-west-1, us-east-1 (wave canary-region is done)',
    });
    expect(next.waves[1]?.approval).toEqual({ required: true, by: '@rel', at: t(46) });
  });

  it('waits for every environment of a wave, and bakes from the last to finish', () => {
    const events = [
      event('canary_promoted', 'ap-southeast-2', 10),
      approved('big-two', 46),
      finished('eu-west-1', 50),
      event('deploy_started', 'us-east-1', 50),
    ];
    expect(nextWave(plan, events, t(55))).toMatchObject({
      decision: 'wait',
      reason: 'wave big-two is deploying: us-east-1: deploying',
    });
    const all = [...events, finished('us-east-1', 70)];
    expect(nextWave(plan, all, t(100)).until).toBe(t(130));
    expect(nextWave(plan, all, t(131))).toMatchObject({ decision: 'go', wave: 'rest' });
    const complete = [...all, finished('us-west-2', 140), finished('sa-east-1', 141)];
    expect(nextWave(plan, complete, t(142))).toMatchObject({
      decision: 'done',
      wave: null,
      reason: 'all 3 waves are done',
    });
  });

  it('stops on a failure in any wave: a failed canary, a rollback, a failed deployment', () => {
    for (const failure of [
      event('canary_failed', 'ap-southeast-2', 12),
      event('rollback_triggered', 'ap-southeast-2', 12),
      event('deploy_finished', 'ap-southeast-2', 12, { result: 'failure' }),
    ]) {
      const next = nextWave(plan, [event('canary_started', 'ap-southeast-2', 0), failure], t(13));
      expect(next.decision).toBe('stop');
      expect(next.wave).toBe('canary-region');
      expect(next.reason).toMatch(/^wave canary-region failed: ap-southeast-2: /);
    }
    const late = [
      event('canary_promoted', 'ap-southeast-2', 10),
      approved('big-two', 46),
      finished('eu-west-1', 50),
      event('rollback_triggered', 'eu-west-1', 80),
    ];
    expect(nextWave(plan, late, t(90))).toMatchObject({ decision: 'stop', wave: 'big-two' });
  });

  it('ignores events of environments outside the plan and approvals of other waves', () => {
    const events = [
      event('deploy_finished', 'staging', 0, { result: 'failure' }),
      approved('rest', 1),
    ];
    expect(nextWave(plan, events, t(2))).toMatchObject({ decision: 'go', wave: 'canary-region' });
  });
});

describe('ReleasePlan', () => {
  it('refuses a wave name used twice and an environment in two waves, naming the place', () => {
    const parsed = ReleasePlan.safeParse({
      waves: [
        { name: 'a', environments: ['eu'] },
        { name: 'a', environments: ['eu'] },
      ],
    });
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['waves.1.name', 'wave "a" is named twice'],
      ['waves.1.environments.0', 'environment "eu" is already in wave "a"'],
    ]);
  });
});
