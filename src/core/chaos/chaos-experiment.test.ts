import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validExperiment } from '../../testing/chaos-experiment-fixture.ts';
import { ChaosExperiment, chaosExperimentJsonSchema, holdsInvariant } from './chaos-experiment.ts';

const issues = (value: unknown) => {
  const parsed = ChaosExperiment.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('ChaosExperiment', () => {
  it('parses a valid entry: shares as ratios, durations in milliseconds, defaults filled', () => {
    const e = ChaosExperiment.parse(validExperiment);
    expect(e.kind).toBe('fault');
    expect(e.slo.objective).toBeCloseTo(0.999, 12);
    expect(e.slo.requireErrorBudgetRemaining).toBe(0.25);
    expect(e.slo.window).toBe(28 * 86_400_000);
    expect(e.blastRadius.maxDuration).toBe(300_000);
    expect(e.cadence).toBe(30 * 86_400_000);
  });

  it('parses an ai-drift entry with KPI invariants and no injection', () => {
    const rest = { ...validExperiment, inject: undefined };
    const e = ChaosExperiment.parse({
      ...rest,
      id: 'pricing-drift',
      kind: 'ai-drift',
      invariants: [
        {
          name: 'prices outside catalog range',
          query: 'sum(price_out_of_range)',
          op: '=',
          value: 0,
        },
        { name: 'discount ratio', query: 'avg(discount_ratio)', op: '<=', value: 0.3 },
      ],
    });
    expect(e.invariants.map((i) => i.op)).toEqual(['=', '<=']);
  });

  it.each([
    ['no owner', { owner: undefined }, 'owner'],
    [
      'a bad mode',
      { blastRadius: { ...validExperiment.blastRadius, mode: 'some' } },
      'blastRadius.mode',
    ],
    [
      'fixed without a value',
      { blastRadius: { ...validExperiment.blastRadius, value: undefined } },
      'blastRadius.value: mode fixed needs a value',
    ],
    [
      'a percentage over 100',
      { blastRadius: { ...validExperiment.blastRadius, mode: 'fixed-percent', value: 150 } },
      'blastRadius.value: a percentage is at most 100',
    ],
    [
      'a bad duration',
      { blastRadius: { ...validExperiment.blastRadius, maxDuration: 'soon' } },
      'blastRadius.maxDuration',
    ],
    [
      'no error budget requirement',
      { slo: { name: 's', objective: '99%' } },
      'slo.requireErrorBudgetRemaining',
    ],
    [
      'a share over 100%',
      { slo: { ...validExperiment.slo, requireErrorBudgetRemaining: '120%' } },
      'slo.requireErrorBudgetRemaining',
    ],
    [
      'a probe without a tolerance',
      { hypothesis: { probes: [{ name: 'p', http: { url: 'u' } }] } },
      'hypothesis.probes.0.tolerance',
    ],
    [
      'a probe with two providers',
      {
        hypothesis: {
          probes: [{ name: 'p', http: { url: 'u' }, prometheus: { query: 'up' }, tolerance: 1 }],
        },
      },
      'exactly one provider',
    ],
    [
      'a fault without injection',
      { inject: undefined },
      'inject: a fault experiment names its injection',
    ],
    ['an unknown injection type', { inject: { type: 'gremlin', manifest: 'x' } }, 'inject.type'],
    ['an unknown field', { blast: 1 }, 'blast'],
    ['a stop condition naming nothing', { stopConditions: [{}] }, 'stopConditions.0'],
  ])('refuses %s', (_name, change, expected) => {
    expect(issues({ ...validExperiment, ...change }).join('\n')).toContain(expected);
  });

  it('refuses an ai-drift entry without invariants', () => {
    expect(issues({ ...validExperiment, kind: 'ai-drift' }).join('\n')).toContain('invariants');
  });

  it.each([
    ['=', 0, 0, true],
    ['=', 0, 0.01, false],
    ['<=', 0.3, 0.3, true],
    ['<=', 0.3, 0.31, false],
    ['<', 1, 1, false],
    ['>=', 5, 5, true],
    ['>', 5, 5, false],
  ] as const)('holdsInvariant %s %d for %d is %s', (op, value, measured, expected) => {
    expect(holdsInvariant({ op, value }, measured)).toBe(expected);
  });

  it('matches the committed JSON Schema for editors (docs/schema/chaos-experiment.schema.json)', () => {
    const committed = JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, '../../../docs/schema/chaos-experiment.schema.json'),
        'utf8',
      ),
    ) as unknown;
    expect(committed).toEqual(chaosExperimentJsonSchema());
  });
});
