import { describe, expect, it } from 'vitest';
import { gateConditions } from '../../gates/gate-conditions.ts';
import { scratchRepository } from '../../testing/evidence-gate.ts';
import { gatherIsolated, isolatedConditionLoaders } from './gather-isolated.ts';

describe('gatherIsolated', () => {
  it('loads exactly the registry’s conditions that declare isolated evidence', async () => {
    const isolated = Object.entries(gateConditions)
      .filter(([, condition]) => condition.isolatedEvidence !== undefined)
      .map(([kind]) => kind);
    expect(Object.keys(isolatedConditionLoaders)).toEqual(isolated);
    for (const kind of isolated)
      expect(await isolatedConditionLoaders[kind]?.()).toBe(
        gateConditions[kind as keyof typeof gateConditions],
      );
  });

  it('refuses, as a bug, a condition that does not declare isolated evidence', async () => {
    const root = await scratchRepository({});
    for (const kind of ['coverage', 'toString', 'nonsense'])
      await expect(
        gatherIsolated({ kind, options: {}, root, now: '2026-12-02T12:00:00Z' }),
      ).rejects.toThrow(`the ${kind} condition cannot be gathered in a worker thread`);
  });
});
