import { describe, expect, it } from 'vitest';
import { validExperiment } from '../../testing/chaos-experiment-fixture.ts';
import { ChaosExperiment } from './chaos-experiment.ts';
import { judgeDrift } from './judge-drift.ts';

const drift = ChaosExperiment.parse({
  ...validExperiment,
  kind: 'ai-drift',
  inject: undefined,
  invariants: [
    { name: 'outside range', query: 'a', op: '=', value: 0 },
    { name: 'discount', query: 'b', op: '<=', value: 0.3 },
  ],
});

describe('judgeDrift', () => {
  it('holds when every invariant holds', () => {
    const j = judgeDrift(drift, [
      { kind: 'measured', value: 0 },
      { kind: 'measured', value: 0.3 },
    ]);
    expect(j.answer).toBe('holds');
    expect(j.invariants.map((i) => i.message)).toEqual([
      'outside range: 0 holds = 0',
      'discount: 0.3 holds <= 0.3',
    ]);
  });

  it('is violated when one is, even if another is unknown; unknown when none is violated', () => {
    expect(
      judgeDrift(drift, [
        { kind: 'unknown', reason: 'down' },
        { kind: 'measured', value: 0.31 },
      ]).answer,
    ).toBe('violated');
    expect(
      judgeDrift(drift, [
        { kind: 'unknown', reason: 'down' },
        { kind: 'measured', value: 0.1 },
      ]).answer,
    ).toBe('unknown');
  });
});
