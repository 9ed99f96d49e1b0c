import type { PolicyMessage, PolicyReport } from '../../../core/evidence/policy-report.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import { truncateText, textLimits } from '../../../core/lib/truncate-text.ts';
import { ProblemList, shapeProblem } from '../evidence-problems.ts';
import type { EvidenceReader } from '../evidence-reader.ts';
import { streamJson } from '../stream-json.ts';

const denyKeys = ['deny', 'violation', 'violations', 'errors'];
const warnKeys = ['warn', 'warning', 'warnings'];

function toMessage(entry: unknown): PolicyMessage {
  if (typeof entry === 'string') return { message: truncateText(entry, textLimits.message) };
  if (typeof entry === 'object' && entry !== null) {
    const record = entry as Record<string, unknown>;
    const text = [record['msg'], record['message'], record['reason']].find(
      (v) => typeof v === 'string',
    );
    if (typeof text === 'string') return { message: truncateText(text, textLimits.message) };
  }
  return { message: truncateText(JSON.stringify(entry), textLimits.message) };
}

function entries(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return Object.keys(value);
  return value === undefined || value === false || value === null ? [] : [value];
}

/**
 * The report of a decision's value: `true` allows, `false` denies; a set (array) of messages
 * denies with each; an object is read by its `allow`, `deny`/`violation(s)`/`errors` and
 * `warn(ings)` members; anything else is not a decision.
 */
function decide(value: unknown): Omit<PolicyReport, 'engine' | 'isUndefined'> {
  if (value === true) return { failures: [], warnings: [], successes: 1 };
  if (value === false) {
    return { failures: [{ message: 'the decision is false' }], warnings: [], successes: 0 };
  }
  if (Array.isArray(value)) {
    return { failures: value.map(toMessage), warnings: [], successes: value.length === 0 ? 1 : 0 };
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const failures = denyKeys.flatMap((key) => entries(record[key]).map(toMessage));
    const warnings = warnKeys.flatMap((key) => entries(record[key]).map(toMessage));
    const allow = record['allow'] ?? record['allowed'];
    if (allow === false) failures.unshift({ message: 'allow is false' });
    const isDecision =
      typeof allow === 'boolean' || [...denyKeys, ...warnKeys].some((key) => key in record);
    if (!isDecision) {
      failures.push({
        message: `not a decision: expected true/false, a set of messages, or an object with allow or deny (got keys ${Object.keys(record).join(', ') || 'none'})`,
      });
    }
    return { failures, warnings, successes: failures.length === 0 ? 1 : 0 };
  }
  return {
    failures: [{ message: `not a decision: ${truncateText(JSON.stringify(value), 200)}` }],
    warnings: [],
    successes: 0,
  };
}

/**
 * OPA decisions: the REST API's `{"result": …}` (no `result` when the rule is undefined), a
 * decision-log event, and `opa eval --format json` (`result[0].expressions[0].value`).
 */
export const opaReader = {
  id: 'opa',
  description: 'OPA decision JSON (REST response, decision log, opa eval): undefined is a failure',
  kind: 'policy',
  detectHint: 'OPA decision JSON (an object with "result")',
  // Any object: conftest output is an array; asked last among the policy readers.

  detect(head) {
    return /^\s*\{/.test(head);
  },

  async read(text) {
    const problems = new ProblemList();
    let root: unknown;
    const parsed = await streamJson(text, {
      paths: ['$'],
      onStart(path, kind) {
        if (path.length === 0 && kind !== 'object') {
          problems.add(shapeProblem([], `expected object (an OPA decision), received ${kind}`));
        }
      },
      onValue(value) {
        root = value;
      },
    });
    if (!parsed.ok) return parsed;
    if (problems.items.length > 0) return fail(...problems.items);
    const record = root as Record<string, unknown>;
    const undefinedDecision = {
      engine: 'opa' as const,
      isUndefined: true,
      failures: [{ message: 'the decision is undefined (no "result": the rule did not apply)' }],
      warnings: [],
      successes: 0,
    };
    if (!('result' in record) || record['result'] === undefined) return ok(undefinedDecision);
    let value: unknown = record['result'];
    // opa eval --format json: result is a list of {expressions: [{value, text}]}; undefined is {}.
    // (An empty array is an empty set of messages, as the REST API returns for a deny rule.)
    if (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((item) => typeof item === 'object' && item !== null && 'expressions' in item)
    ) {
      const expressions = (value[0] as { expressions: unknown }).expressions;
      if (!Array.isArray(expressions) || expressions.length === 0) return ok(undefinedDecision);
      value = (expressions[0] as { value?: unknown }).value;
      if (value === undefined) return ok(undefinedDecision);
    }
    return ok({ engine: 'opa', isUndefined: false, ...decide(value) });
  },
} satisfies EvidenceReader<'policy'>;
