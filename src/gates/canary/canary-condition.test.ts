import { describe, expect, it } from 'vitest';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import {
  runGateConditionConformance,
  type GateConditionSample,
} from '../gate-condition-conformance.ts';
import type { GateLedgerEvent } from '../gate-condition.ts';
import { CanaryOptions, canaryCondition } from './canary-condition.ts';
import { describeEnforceWarn } from '../../testing/run-enforced-entry.ts';

const now = new Date('2026-12-02T12:00:00Z');
const verdict = (
  type: 'canary_promoted' | 'canary_failed',
  at: string,
  deployment = 'd-42',
): GateLedgerEvent => ({
  type,
  occurredAt: at,
  service: 'api',
  environment: 'production',
  deployment,
});

const decide = async (
  events: GateLedgerEvent[],
  options: Record<string, unknown> = {},
  deployment: string | null = 'd-42',
) => {
  const parsed = CanaryOptions.parse(options);
  const context = fakeGateContext({
    now,
    events,
    service: 'api',
    ...(deployment === null ? {} : { deployment }),
  });
  const evidence = await canaryCondition.gather(parsed, context);
  return evidence.kind === 'found'
    ? canaryCondition.evaluate(evidence.value, parsed, now)
    : evidence;
};

describe('canaryCondition', () => {
  it("passes when the deployment's canary was promoted", async () => {
    expect(await decide([verdict('canary_promoted', '2026-12-02T10:00:00Z')])).toMatchObject({
      result: 'pass',
      value: 'promote',
      threshold: 'promote',
    });
  });

  it('fails when its latest verdict is a rollback', async () => {
    expect(
      await decide([
        verdict('canary_promoted', '2026-12-02T09:00:00Z'),
        verdict('canary_failed', '2026-12-02T10:00:00Z'),
      ]),
    ).toMatchObject({ result: 'fail', value: 'rollback' });
  });

  it("ignores other deployments' verdicts: no evidence", async () => {
    expect(
      await decide([verdict('canary_promoted', '2026-12-02T10:00:00Z', 'd-41')]),
    ).toMatchObject({
      kind: 'missing',
      expected:
        'a canary verdict (canary_promoted or canary_failed) for deployment d-42 of api in the ledger',
    });
  });

  it('reads the deployment from its options before --deployment', async () => {
    expect(
      await decide(
        [verdict('canary_promoted', '2026-12-02T10:00:00Z', 'd-1')],
        { deployment: 'd-1' },
        null,
      ),
    ).toMatchObject({
      result: 'pass',
    });
    expect(await decide([], {}, null)).toMatchObject({
      kind: 'missing',
      expected: expect.stringContaining('give --deployment') as string,
    });
  });
});

const failing = {
  options: { deployment: 'd-42' },
  context: fakeGateContext({
    now,
    service: 'api',
    events: [verdict('canary_failed', '2026-12-01T00:00:00Z')],
  }),
  result: 'fail',
} satisfies GateConditionSample;

runGateConditionConformance({
  condition: canaryCondition,
  samples: {
    pass: {
      options: { deployment: 'd-42' },
      context: fakeGateContext({
        now,
        service: 'api',
        events: [verdict('canary_promoted', '2026-12-01T00:00:00Z')],
      }),
      result: 'pass',
    },
    fail: failing,
  },
});

describeEnforceWarn(canaryCondition, failing);
