import { z } from 'zod';
import type { QualityGateCondition } from '../../core/evidence/quality-gate.ts';
import { defineGateCondition } from '../gate-condition.ts';
import { listShort, readEvidenceFiles } from '../read-evidence-files.ts';

/** `- sonarqube: { files: sonar-quality-gate.json, warn: warn }`. */
export const SonarqubeOptions = z.strictObject({
  /** Saved `api/qualitygates/project_status` answers (paths or globs); every one must pass. */
  files: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)])
    .default('sonar-quality-gate.json'),
  /** What a `WARN` gate (SonarQube 7.x and older) comes to: `warn` (default), `fail` or `pass`. */
  warn: z.enum(['warn', 'fail', 'pass']).default('warn'),
});
export type SonarqubeOptions = z.output<typeof SonarqubeOptions>;

/** The gates read, one per file, each with a status SonarQube decided (never NONE). */
export type SonarqubeEvidence = {
  gates: { file: string; status: 'OK' | 'WARN' | 'ERROR'; conditions: QualityGateCondition[] }[];
};

const comparators: Record<string, string> = { LT: '<', GT: '>', EQ: '=', NE: '≠' };

/** `new_coverage 62.5 (fails when < 80)`: a condition that did not pass, for a message. */
function describeCondition(condition: QualityGateCondition): string {
  const threshold =
    condition.status === 'WARN' ? condition.warningThreshold : condition.errorThreshold;
  const comparator = comparators[condition.comparator ?? ''] ?? condition.comparator ?? '?';
  return `${condition.metricKey} ${condition.actualValue ?? '(no value)'}${
    threshold === undefined
      ? ''
      : ` (${condition.status === 'WARN' ? 'warns' : 'fails'} when ${comparator} ${threshold})`
  }`;
}

/**
 * `sonarqube`: SonarQube's own quality-gate verdict, folded in so teams keep SonarQube and get
 * one verdict: `ERROR` fails, `WARN` warns (`warn:`), `OK` passes. A status `NONE` (no gate, no
 * analysis) or a file that is not a project_status answer is "no evidence", never a pass.
 */
export const sonarqubeCondition = defineGateCondition<SonarqubeOptions, SonarqubeEvidence>({
  id: 'sonarqube',
  description: 'the saved SonarQube quality-gate status (api/qualitygates/project_status) is OK',
  options: SonarqubeOptions,
  label: (options) => `sonarqube ${listShort([options.files].flat())}`,
  async gather(options, context) {
    const patterns = [options.files].flat();
    const expected = `a SonarQube quality-gate status (api/qualitygates/project_status JSON) at ${patterns.join(', ')}`;
    const read = await readEvidenceFiles('qualityGate', patterns, context, expected);
    if (read.kind !== 'found') return read;
    const gates: SonarqubeEvidence['gates'] = [];
    for (const { file, model } of read.value) {
      if (model.status === undefined || model.status === 'NONE')
        return {
          kind: 'missing',
          expected:
            model.status === undefined
              ? `${expected} (${file} has no projectStatus)`
              : `${expected} (${file}: status NONE, no quality gate or no analysis)`,
          files: read.files,
        };
      gates.push({ file, status: model.status, conditions: model.conditions });
    }
    return { kind: 'found', value: { gates }, files: read.files };
  },
  evaluate(evidence, options) {
    const worst = evidence.gates.some((gate) => gate.status === 'ERROR')
      ? 'ERROR'
      : evidence.gates.some((gate) => gate.status === 'WARN')
        ? 'WARN'
        : 'OK';
    const failing = evidence.gates.flatMap((gate) =>
      gate.conditions.filter((c) => c.status === 'ERROR' || c.status === 'WARN'),
    );
    const threshold = 'OK';
    if (worst === 'OK')
      return {
        result: 'pass',
        value: 'OK',
        threshold,
        message: `the SonarQube quality gate passed (${evidence.gates.reduce((n, g) => n + g.conditions.length, 0)} conditions OK)`,
      };
    const listed = failing.map(describeCondition);
    const value =
      listed.length === 0 ? worst : `${worst}: ${listShort(failing.map((c) => c.metricKey))}`;
    const result = worst === 'ERROR' ? 'fail' : options.warn;
    return {
      result,
      value,
      threshold,
      message: `the SonarQube quality gate is ${worst}${
        listed.length === 0 ? ' (no condition listed)' : `: ${listShort(listed, 5)}`
      }`,
      locations: evidence.gates
        .filter((gate) => gate.status !== 'OK')
        .map((gate) => ({
          file: gate.file,
          message: `SonarQube quality gate ${gate.status}: ${listShort(
            gate.conditions.filter((c) => c.status !== 'OK').map(describeCondition),
            5,
          )}`,
        })),
    };
  },
});
