import type { GateEntry } from '../../config/gates-config.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import type {
  GateContext,
  GateLocation,
  GateResult,
  GateValue,
} from '../../gates/gate-condition.ts';
import { gateConditions, isGateConditionKind } from '../../gates/gate-conditions.ts';

/** One entry's outcome, as `candor gate --json` prints it (README "candor gate"). */
export type GateConditionResult = {
  name: string;
  kind: string;
  result: GateResult;
  value: GateValue;
  threshold: GateValue;
  /** The evidence files read, repository-relative. */
  evidence: string[];
  message: string;
  /** `block` or `warn` (an entry with `enforce: warn` never blocks). */
  enforce: 'block' | 'warn';
  locations: GateLocation[];
};

/** A checklist's outcome: `fail` when an entry that blocks failed, else `warn` when any warned. */
export type ChecklistResult = {
  checklist: string;
  result: GateResult;
  conditions: GateConditionResult[];
};

/**
 * Runs every entry of a checklist: gathers its evidence through `context`, lets the condition
 * decide, and applies what every kind shares (no evidence and unreadable evidence fail; `enforce:
 * warn` turns a fail into a warning). Entries run one after another, in the checklist's order.
 * Throws CandorError only for operational failures of the context (a file that exists but cannot
 * be read, the database).
 */
export async function evaluateChecklist(
  checklist: string,
  entries: readonly GateEntry[],
  context: GateContext,
): Promise<ChecklistResult> {
  const conditions: GateConditionResult[] = [];
  for (const entry of entries) conditions.push(await evaluateEntry(entry, context));
  const result: GateResult = conditions.some((c) => c.result === 'fail')
    ? 'fail'
    : conditions.some((c) => c.result === 'warn')
      ? 'warn'
      : 'pass';
  return { checklist, result, conditions };
}

async function evaluateEntry(entry: GateEntry, context: GateContext): Promise<GateConditionResult> {
  if (!isGateConditionKind(entry.kind))
    throw new Error(`unregistered gate condition ${entry.kind}`);
  const condition = gateConditions[entry.kind];
  const name = entry.name ?? condition.label(entry.options);
  const base = { name, kind: entry.kind, enforce: entry.enforce };
  const evidence = await condition.gather(entry.options, context);
  const soften = (result: GateResult): GateResult =>
    result === 'fail' && entry.enforce === 'warn' ? 'warn' : result;
  switch (evidence.kind) {
    case 'missing':
      return {
        ...base,
        result: soften('fail'),
        value: null,
        threshold: null,
        evidence: [...evidence.files],
        message: `no evidence: ${evidence.expected}`,
        locations: [],
      };
    case 'invalid':
      return {
        ...base,
        result: soften('fail'),
        value: null,
        threshold: null,
        evidence: [...evidence.files],
        message: `invalid evidence: ${evidence.problems
          .slice(0, 3)
          .map((p) => formatProblem(p, p.file))
          .join(
            '; ',
          )}${evidence.problems.length > 3 ? ` (and ${evidence.problems.length - 3} more)` : ''}`,
        locations: evidence.problems
          .filter((p) => p.file !== undefined)
          .slice(0, 50)
          .map((p) => ({ file: p.file as string, line: p.line, message: p.message })),
      };
    case 'found': {
      const verdict = condition.evaluate(evidence.value, entry.options, context.now);
      return {
        ...base,
        result: soften(verdict.result),
        value: verdict.value,
        threshold: verdict.threshold,
        evidence: [...evidence.files],
        message: verdict.message,
        locations: [...(verdict.locations ?? [])],
      };
    }
  }
}
