import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLitmusChaosResult } from './read-litmus-chaos-result.ts';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8');

describe('readLitmusChaosResult', () => {
  it('reads the verdict and probe success percentage of a ChaosResult', () => {
    expect(readLitmusChaosResult(fixture('litmus-chaosresult.yaml'))).toEqual({
      ok: true,
      value: {
        name: 'payments-chaos-pod-delete',
        verdict: 'Pass',
        phase: 'Completed',
        probeSuccessPercentage: 100,
      },
    });
  });

  it('refuses an unknown verdict with its line and column, and another kind', () => {
    const bad = readLitmusChaosResult(
      fixture('litmus-chaosresult.yaml').replace('verdict: Pass', 'verdict: Maybe'),
    );
    expect(bad).toMatchObject({
      ok: false,
      errors: [{ line: 12, column: 14, path: 'status.experimentStatus.verdict' }],
    });
    expect(readLitmusChaosResult('kind: ChaosEngine\nstatus: {}\n').ok).toBe(false);
  });
});
