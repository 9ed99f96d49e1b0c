import { z } from 'zod';
import type { PolicyMessage, PolicyReport } from '../../core/evidence/policy-report.ts';
import { defineGateCondition, type GateLocation } from '../gate-condition.ts';
import { listShort, plural, readEvidenceFiles } from '../read-evidence-files.ts';

/** `- policy: { files: conftest.json, failOnWarn: false }`. */
export const PolicyOptions = z.strictObject({
  /** conftest `-o json` output or OPA decision JSON (paths or globs), told apart by content. */
  files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Warnings fail too (conftest's `--fail-on-warn`); by default they warn. */
  failOnWarn: z.boolean().default(false),
});
export type PolicyOptions = z.output<typeof PolicyOptions>;

export type PolicyEvidence = { reports: { file: string; report: PolicyReport }[] };

const located = (file: string, messages: readonly PolicyMessage[]): GateLocation[] =>
  messages.map((m) => ({ file: m.file ?? file, line: m.line, message: m.message.slice(0, 300) }));

/** `policy`: conftest results and OPA decisions; a failure or an undefined decision fails. */
export const policyCondition = defineGateCondition<PolicyOptions, PolicyEvidence>({
  id: 'policy',
  description:
    'conftest JSON or OPA decisions: no failure and no undefined decision; warnings warn',
  options: PolicyOptions,
  label: (options) => `policy ${[options.files].flat().join(', ')}`,
  async gather(options, context) {
    const files = [options.files].flat();
    const read = await readEvidenceFiles(
      'policy',
      files,
      context,
      `conftest or OPA decision JSON at ${files.join(', ')}`,
    );
    if (read.kind !== 'found') return read;
    return {
      kind: 'found',
      value: { reports: read.value.map(({ file, model }) => ({ file, report: model })) },
      files: read.files,
    };
  },
  evaluate(evidence, options) {
    const undefinedIn = evidence.reports.filter((r) => r.report.isUndefined).map((r) => r.file);
    const failures = evidence.reports.flatMap((r) =>
      r.report.isUndefined ? [] : located(r.file, r.report.failures),
    );
    const warnings = evidence.reports.flatMap((r) => located(r.file, r.report.warnings));
    const successes = evidence.reports.reduce((sum, r) => sum + r.report.successes, 0);
    const failed = failures.length + (options.failOnWarn ? warnings.length : 0);
    if (undefinedIn.length > 0) {
      return {
        result: 'fail',
        value: null,
        threshold: 0,
        message: `the decision is undefined in ${listShort(undefinedIn)} (no result: the rule did not apply), which is never a pass`,
        locations: undefinedIn.map((file) => ({ file, message: 'undefined decision' })),
      };
    }
    const summary = `${plural(failures.length, 'failure')}, ${plural(warnings.length, 'warning')}, ${plural(successes, 'check')} passed`;
    if (failed > 0) {
      return {
        result: 'fail',
        value: failed,
        threshold: 0,
        message: `${summary}: ${listShort(
          [...failures, ...(options.failOnWarn ? warnings : [])].map(
            (f) => `${f.message} (${f.file}${f.line === undefined ? '' : `:${f.line}`})`,
          ),
          2,
        )}`,
        locations: [...failures, ...(options.failOnWarn ? warnings : [])].slice(0, 200),
      };
    }
    if (warnings.length > 0) {
      return {
        result: 'warn',
        value: 0,
        threshold: 0,
        message: `${summary}: ${listShort(
          warnings.map((w) => w.message),
          2,
        )}`,
        locations: warnings.slice(0, 200),
      };
    }
    return { result: 'pass', value: 0, threshold: 0, message: summary };
  },
});
