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
