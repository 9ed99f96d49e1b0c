import { describe, expect, it } from 'vitest';
import { evaluateChecklist } from '../../app/gates/evaluate-checklist.ts';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import type { GateLedgerEvent } from '../gate-condition.ts';
import { DrillOptions, drillCondition } from './drill-condition.ts';

const now = new Date('2026-12-02T12:00:00Z');
const drill = (
  daysAgo: number,
  result: 'success' | 'failure',
  environment = 'staging',
  service = 'api',
): GateLedgerEvent => ({
  type: 'rollback_drill',
  occurredAt: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
  service,
  environment,
  result,
});

const decide = async (
  events: GateLedgerEvent[],
  options: Record<string, unknown> = {},
  service: string | null = 'api',
) => {
  const parsed = DrillOptions.parse(options);
  const context = fakeGateContext({ now, events, ...(service === null ? {} : { service }) });
  const evidence = await drillCondition.gather(parsed, context);
  return evidence.kind === 'found'
    ? drillCondition.evaluate(evidence.value, parsed, now)
    : evidence;
};

describe('drillCondition', () => {
  it('passes when the last drill succeeded within maxAgeDays', async () => {
    expect(
      await decide([drill(40, 'failure'), drill(3, 'success')], { maxAgeDays: 30 }),
    ).toMatchObject({
      result: 'pass',
      value: 3,
      threshold: 30,
    });
  });

  it('fails when the last successful drill is older than maxAgeDays', async () => {
    expect(await decide([drill(45, 'success')], { maxAgeDays: 30 })).toMatchObject({
      result: 'fail',
      value: 45,
      message: 'the last successful rollback drill of api is 45 days old (at most 30)',
    });
  });

  it('fails when the last drill failed, even after a recent success', async () => {
    expect(await decide([drill(5, 'success'), drill(1, 'failure')])).toMatchObject({
      result: 'fail',
      message: expect.stringContaining('failed: the rollback is known not to work') as string,
    });
  });

  it('counts only the environment and the service asked for', async () => {
    const events = [drill(2, 'success', 'dev'), drill(2, 'success', 'staging', 'web')];
    expect(await decide(events, { environment: 'staging' })).toMatchObject({ kind: 'missing' });
    expect(await decide(events, { environment: 'dev' })).toMatchObject({ result: 'pass' });
  });

  it('reports no evidence until a drill is in the ledger, or without a service', async () => {
    expect(await decide([])).toMatchObject({
      kind: 'missing',
      expected: expect.stringContaining('a rollback_drill event for service api') as string,
    });
    expect(await decide([drill(1, 'success')], {}, null)).toMatchObject({ kind: 'missing' });
  });

  it('counts the rollback rehearsed by a game day (candor chaos record), verified or not', async () => {
    const gameDay = (daysAgo: number, attributes: Record<string, unknown>): GateLedgerEvent => ({
      ...drill(daysAgo, 'success'),
      type: 'game_day',
      attributes: { experiment: 'api-pod-loss', ...attributes },
    });
    expect(
      await decide([gameDay(2, { rollbackExecuted: true, rollbackVerified: true })]),
    ).toMatchObject({ result: 'pass', value: 2 });
    expect(
      await decide([
        drill(5, 'success'),
        gameDay(1, { rollbackExecuted: true, rollbackVerified: false }),
      ]),
    ).toMatchObject({ result: 'fail', message: expect.stringContaining('failed') as string });
    expect(await decide([gameDay(1, { rollbackExecuted: false })])).toMatchObject({
      kind: 'missing',
    });
  });

  it('warns instead of failing with enforce: warn', async () => {
    const context = fakeGateContext({ now, service: 'api', events: [drill(90, 'success')] });
    const result = await evaluateChecklist(
      'release',
      [
        {
          kind: 'drill',
          name: 'rollback rehearsed',
          enforce: 'warn',
          options: DrillOptions.parse({}),
        },
      ],
      context,
    );
    expect(result).toMatchObject({
      result: 'warn',
      conditions: [{ name: 'rollback rehearsed', result: 'warn', value: 90 }],
    });
  });
});

runGateConditionConformance({
  condition: drillCondition,
  samples: {
    pass: {
      options: { maxAgeDays: 30 },
      context: fakeGateContext({ now, service: 'api', events: [drill(1, 'success')] }),
      result: 'pass',
    },
    fail: {
      options: { maxAgeDays: 30 },
      context: fakeGateContext({ now, service: 'api', events: [drill(31, 'success')] }),
      result: 'fail',
    },
  },
});
