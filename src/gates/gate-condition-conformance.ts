import { describe, expect, it } from 'vitest';
import { GatesConfig } from '../config/gates-config.ts';
import { fakeGateContext } from '../testing/fake-gate-context.ts';
import { skippedCases, type ConformanceSkip } from '../testing/skipped-cases.ts';
import type { AnyGateCondition, GateContext, GateResult } from './gate-condition.ts';
import { gateConditions, isGateConditionKind } from './gate-conditions.ts';

/** The cases of the suite, by name: what a condition's `skip` may list. */
export const gateConditionConformanceCases = [
  'is registered under its id',
  'accepts its sample options in candor.yml',
  'refuses an unknown option with a did-you-mean',
  'decides its samples',
  'reports no evidence in an empty repository',
  'labels every sample',
] as const;
export type GateConditionConformanceCase = (typeof gateConditionConformanceCases)[number];

/** A sample: options as written in candor.yml, a context holding the evidence, the result. */
export type GateConditionSample = {
  options: Record<string, unknown>;
  context: GateContext;
  result: GateResult;
};

/**
 * Registers, in a `describe` block named after the condition, the cases every gate condition
 * passes: registered under its id; its sample options accepted inside a checklist of candor.yml
 * and a misspelt option refused with a suggestion; each sample gathered and decided as expected
 * (a `pass`, a `fail` and, when the kind can warn by itself, a `warn`); "no evidence" (a fail,
 * never a pass) in a repository without files, diff or ledger; a label for each sample. Call it
 * from the condition's own test. A case in `skip` is not registered; the readme gives the reason.
 */
export function runGateConditionConformance(options: {
  condition: AnyGateCondition;
  samples: { pass: GateConditionSample; fail: GateConditionSample; warn?: GateConditionSample };
  skip?: readonly ConformanceSkip<GateConditionConformanceCase>[];
}): void {
  const { condition, samples } = options;
  const suite = `gate condition conformance: ${condition.id}`;
  if (!isGateConditionKind(condition.id)) throw new Error(`${suite}: not in gate-conditions.ts`);
  const skipped = skippedCases(suite, gateConditionConformanceCases, options.skip);
  const all = Object.entries(samples).filter(
    (entry): entry is [string, GateConditionSample] => entry[1] !== undefined,
  );
  const parse = (raw: Record<string, unknown>) => {
    const parsed = condition.options.safeParse(raw);
    if (!parsed.success)
      throw new Error(`${suite}: sample options invalid: ${parsed.error.message}`);
    return parsed.data;
  };

  const cases: Record<GateConditionConformanceCase, () => void> = {
    'is registered under its id': () =>
      it('is the registry entry of its id, with a description', () => {
        expect(gateConditions[condition.id as keyof typeof gateConditions]).toBe(condition);
        expect(condition.description.trim()).not.toBe('');
      }),

    'accepts its sample options in candor.yml': () =>
      it('accepts each sample in a checklist, with enforce and name', () => {
        for (const [, sample] of all) {
          const parsed = GatesConfig.safeParse({
            change: [{ [condition.id]: { ...sample.options, enforce: 'warn', name: 'n' } }],
          });
          expect(parsed.error?.issues ?? []).toEqual([]);
          expect(parsed.data?.['change']?.[0]).toMatchObject({
            kind: condition.id,
            enforce: 'warn',
            name: 'n',
          });
        }
      }),

    'refuses an unknown option with a did-you-mean': () =>
      it('refuses a misspelt option, naming it', () => {
        const parsed = GatesConfig.safeParse({
          change: [{ [condition.id]: { ...samples.pass.options, enforcee: 'warn' } }],
        });
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues[0]?.message).toContain('"enforcee"');
        expect(parsed.error?.issues[0]?.message).toContain('did you mean "enforce"');
      }),

    'decides its samples': () =>
      it.each(all)('gathers and decides the %s sample', async (_, sample) => {
        const parsed = parse(sample.options);
        const evidence = await condition.gather(parsed, sample.context);
        expect(evidence.kind).toBe('found');
        if (evidence.kind !== 'found') return;
        const verdict = condition.evaluate(evidence.value, parsed, sample.context.now);
        expect(verdict.result).toBe(sample.result);
        expect(verdict.message.trim()).not.toBe('');
        // Pure: the same evidence decides the same way.
        expect(condition.evaluate(evidence.value, parsed, sample.context.now)).toEqual(verdict);
      }),

    'reports no evidence in an empty repository': () =>
      it('gathers "missing" (never found) when there are no files, diff or ledger', async () => {
        const evidence = await condition.gather(parse(samples.pass.options), fakeGateContext());
        expect(evidence.kind).toBe('missing');
        if (evidence.kind === 'missing') expect(evidence.expected.trim()).not.toBe('');
      }),

    'labels every sample': () =>
      it('labels each sample with a short name', () => {
        for (const [, sample] of all) {
          const label = condition.label(parse(sample.options));
          expect(label.startsWith(condition.id)).toBe(true);
          expect(label.length).toBeLessThanOrEqual(120);
        }
      }),
  };

  describe(suite, () => {
    for (const name of gateConditionConformanceCases) if (!skipped.has(name)) cases[name]();
  });
}
