import { describe, expect, it } from 'vitest';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import type { GateLedgerEvent } from '../gate-condition.ts';
import { ChaosOptions, chaosCondition } from './chaos-condition.ts';

const now = new Date('2026-12-02T12:00:00Z');
const gameDay = (
  service: string,
  daysAgo: number,
  attributes: Record<string, unknown> = {},
  environment = 'staging',
): GateLedgerEvent => ({
  type: 'game_day',
  occurredAt: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
  service,
  environment,
  result: 'success',
  attributes: { experiment: `${service}-pod-loss`, status: 'completed', ...attributes },
});

const decide = async (
  events: GateLedgerEvent[],
  options: Record<string, unknown>,
  service?: string,
) => {
  const parsed = ChaosOptions.parse(options);
  const context = fakeGateContext({ now, events, ...(service === undefined ? {} : { service }) });
  const evidence = await chaosCondition.gather(parsed, context);
  return evidence.kind === 'found'
    ? chaosCondition.evaluate(evidence.value, parsed, now)
    : evidence;
};

describe('chaosCondition', () => {
  const services = { services: ['payments', 'checkout'] };

  it('passes when every service had a game day within maxAgeDays', async () => {
    expect(
      await decide(
        [gameDay('payments', 10), gameDay('checkout', 80), gameDay('checkout', 200)],
        services,
      ),
    ).toMatchObject({
      result: 'pass',
      value: 80,
      threshold: 90,
    });
  });

  it('fails naming each service without a recent game day', async () => {
    expect(await decide([gameDay('payments', 100), gameDay('search', 1)], services)).toMatchObject({
      result: 'fail',
      value: '2 of 2 without',
      message: 'no game day in the last 90 days for payments (100 days ago), checkout (never)',
    });
  });

  it('does not count aborted game days, other environments, or unverified rollbacks when required', async () => {
    const events = [gameDay('payments', 1, { status: 'aborted' })];
    expect(await decide(events, { services: ['payments'] })).toMatchObject({ kind: 'missing' });
    const staging = [gameDay('payments', 1, { rollbackVerified: false })];
    expect(
      await decide(staging, { services: ['payments'], environment: 'production' }),
    ).toMatchObject({ kind: 'missing' });
    expect(await decide(staging, { services: ['payments'], requireRollback: true })).toMatchObject({
      kind: 'missing',
    });
    expect(
      await decide([gameDay('payments', 1, { rollbackVerified: true })], {
        services: ['payments'],
        requireRollback: true,
      }),
    ).toMatchObject({ result: 'pass' });
  });

  it('uses --service without services:, and reports no evidence without either', async () => {
    expect(await decide([gameDay('payments', 3)], {}, 'payments')).toMatchObject({
      result: 'pass',
      value: 3,
    });
    expect(await decide([gameDay('payments', 3)], {})).toMatchObject({ kind: 'missing' });
  });
});

runGateConditionConformance({
  condition: chaosCondition,
  samples: {
    pass: {
      options: { services: ['payments'] },
      context: fakeGateContext({ now, events: [gameDay('payments', 5)] }),
      result: 'pass',
    },
    fail: {
      options: { services: ['payments'], maxAgeDays: 30 },
      context: fakeGateContext({ now, events: [gameDay('payments', 31)] }),
      result: 'fail',
    },
  },
});
