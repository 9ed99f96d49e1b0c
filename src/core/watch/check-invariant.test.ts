import { describe, expect, it } from 'vitest';
import { ChaosExperiment } from '../chaos/chaos-experiment.ts';
import { validExperiment } from '../../testing/chaos-experiment-fixture.ts';
import { checkInvariant, selectWatchedInvariants } from './check-invariant.ts';

const drift = (overrides: Record<string, unknown>) =>
  ChaosExperiment.parse({
    ...validExperiment,
    kind: 'ai-drift',
    inject: undefined,
    service: 'checkout',
    blastRadius: { ...validExperiment.blastRadius, environment: 'production' },
    invariants: [
      { name: 'prices outside the catalog range', query: 'a', op: '=', value: 0 },
      { name: 'discount ratio', query: 'b', op: '<=', value: 0.3, rollback: true },
    ],
    ...overrides,
  });
const since = '2026-12-01T10:00:00.000Z';

describe('selectWatchedInvariants', () => {
  it('takes the ai-drift entries of the watched service and environment, invariant by invariant', () => {
    const entries = [
      drift({ id: 'pricing-drift' }),
      drift({ id: 'other-service', service: 'search' }),
      drift({
        id: 'staging-only',
        blastRadius: { ...validExperiment.blastRadius, environment: 'staging' },
      }),
      ChaosExperiment.parse({ ...validExperiment, service: 'checkout' }),
    ];
    const watched = selectWatchedInvariants(entries, {
      service: 'checkout',
      environment: 'production',
    });
    expect(watched.map((w) => [w.entry, w.invariant.name, w.invariant.rollback])).toEqual([
      ['pricing-drift', 'prices outside the catalog range', false],
      ['pricing-drift', 'discount ratio', true],
    ]);
  });
});

describe('checkInvariant', () => {
  const [outside, discount] = selectWatchedInvariants([drift({ id: 'pricing-drift' })], {
    service: 'checkout',
    environment: 'production',
  }) as [never, never];

  it('is healthy when every measured interval holds, saying how many had no data', () => {
    const finding = checkInvariant(discount, [0.1, null, 0.3, 0.2], since);
    expect(finding).toMatchObject({
      metric: 'pricing-drift/discount ratio',
      detector: 'invariant',
      result: 'healthy',
      rollback: true,
      invariant: {
        entry: 'pricing-drift',
        condition: '<= 0.3',
        value: 0.2,
        measured: 3,
        breaches: 0,
      },
    });
    expect(finding.reason).toBe(
      'discount ratio held <= 0.3 in all 3 measured intervals (1 without data), last 0.2 (ai-drift entry pricing-drift (blast radius production, fixed 1))',
    );
  });

  it('is degraded by one breaching interval, naming the worst value, the entry and its blast radius', () => {
    const finding = checkInvariant(outside, [0, 0, 0.02, 0.05, 0], since);
    expect(finding.result).toBe('degraded');
    expect(finding.rollback).toBe(false);
    expect(finding.invariant).toEqual({
      entry: 'pricing-drift',
      name: 'prices outside the catalog range',
      condition: '= 0',
      blastRadius: { environment: 'production', mode: 'fixed', value: 1, maxDuration: 300_000 },
      value: 0.05,
      measured: 5,
      breaches: 2,
    });
    expect(finding.reason).toContain('broke = 0 in 2 of 5 intervals, worst 0.05');
  });

  it('is inconclusive, never healthy, without data', () => {
    expect(checkInvariant(discount, [], since).result).toBe('inconclusive');
    const none = checkInvariant(discount, [null, null], since);
    expect(none.result).toBe('inconclusive');
    expect(none.reason).toMatch(/^no data since the deploy for discount ratio <= 0.3: cannot tell/);
  });
});
