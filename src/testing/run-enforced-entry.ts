import { describe, expect, it } from 'vitest';
import { evaluateChecklist, type ChecklistResult } from '../app/gates/evaluate-checklist.ts';
import type { GateEnforcement } from '../config/gates-config.ts';
import type { AnyGateCondition, GateContext } from '../gates/gate-condition.ts';

/**
 * Runs one sample of a condition as the only entry of a checklist, with `enforce` as given:
 * for the tests that a failing entry with `enforce: warn` warns and does not block. The options
 * are parsed as candor.yml's would be. Throws when they do not parse.
 */
export function runEnforcedEntry(
  condition: AnyGateCondition,
  sample: { options: Record<string, unknown>; context: GateContext },
  enforce: GateEnforcement,
): Promise<ChecklistResult> {
  return evaluateChecklist(
    'release',
    [
      {
        kind: condition.id,
        name: undefined,
        enforce,
        options: condition.options.parse(sample.options),
      },
    ],
    sample.context,
  );
}

/**
 * Registers the test that `failing` (a sample the condition fails) only warns with `enforce:
 * warn`: the checklist warns instead of blocking, with the same value and message as with
 * `enforce: block`. Call it from the condition's own test.
 */
export function describeEnforceWarn(
  condition: AnyGateCondition,
  failing: { options: Record<string, unknown>; context: GateContext },
): void {
  describe(`${condition.id} with enforce: warn`, () => {
    it('warns on the failing sample instead of failing, and the checklist does not block', async () => {
      const blocked = await runEnforcedEntry(condition, failing, 'block');
      expect(blocked).toMatchObject({ result: 'fail', conditions: [{ result: 'fail' }] });
      const warned = await runEnforcedEntry(condition, failing, 'warn');
      expect(warned).toMatchObject({
        result: 'warn',
        conditions: [{ kind: condition.id, result: 'warn' }],
      });
      // The same measurement and message: only the result is softened.
      expect(warned.conditions[0]?.value).toEqual(blocked.conditions[0]?.value);
      expect(warned.conditions[0]?.message).toBe(blocked.conditions[0]?.message);
    });
  });
}
