import { z } from 'zod';
import {
  qualityGateStatuses,
  type QualityGateReport,
} from '../../../core/evidence/quality-gate.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import { truncateText } from '../../../core/lib/truncate-text.ts';
import { ProblemList, issueProblems, shapeProblem } from '../evidence-problems.ts';
import type { EvidenceReader } from '../evidence-reader.ts';
import { streamJson } from '../stream-json.ts';

/** Thresholds and values are strings in the API; tolerate numbers written by hand or by jq. */
const Text = z
  .union([z.string(), z.number()])
  .transform((value) => truncateText(String(value), 200))
  .optional();

const Condition = z.object({
  status: z.enum(qualityGateStatuses),
  metricKey: z
    .string()
    .min(1)
    .transform((key) => truncateText(key, 200)),
  comparator: Text,
  errorThreshold: Text,
  warningThreshold: Text,
  actualValue: Text,
});

/**
 * SonarQube's quality-gate status as `GET api/qualitygates/project_status` answers it (SonarQube
 * Server and SonarCloud): `{"projectStatus": {"status", "conditions": [{"status", "metricKey",
 * "comparator", "errorThreshold", "actualValue"}], …}}`. Conditions are read one at a time. A
 * document without `projectStatus` reads as a report without status (the condition makes it
 * "no evidence"); a status outside OK/WARN/ERROR/NONE is a problem at its JSON path.
 */
export const sonarqubeReader = {
  id: 'sonarqube',
  description: 'SonarQube quality-gate status JSON (api/qualitygates/project_status)',
  kind: 'qualityGate',
  detectHint: 'a SonarQube quality-gate status (an object with "projectStatus")',
  detect(head) {
    return /^\s*\{/.test(head);
  },
  async read(text) {
    const problems = new ProblemList();
    let status: unknown;
    let hasStatus = false;
    const conditions: QualityGateReport['conditions'] = [];
    const parsed = await streamJson(text, {
      paths: ['$.projectStatus.status', '$.projectStatus.conditions.*'],
      maxDepth: 2,
      onStart(path, kind) {
        if (path.length === 0 && kind !== 'object')
          problems.add(
            shapeProblem([], `expected object (a quality-gate status), received ${kind}`),
          );
        if (path.length === 1 && path[0] === 'projectStatus' && kind !== 'object')
          problems.add(shapeProblem(['projectStatus'], `expected object, received ${kind}`));
        if (path.length === 2 && path[0] === 'projectStatus' && path[1] === 'conditions')
          if (kind !== 'array')
            problems.add(shapeProblem(path, `expected array, received ${kind}`));
      },
      onValue(value, path) {
        if (path[1] === 'status') {
          hasStatus = true;
          status = value;
          return;
        }
        const result = Condition.safeParse(value);
        if (!result.success) problems.add(...issueProblems(path, result.error));
        else
          conditions.push({
            status: result.data.status,
            metricKey: result.data.metricKey,
            comparator: result.data.comparator,
            errorThreshold: result.data.errorThreshold,
            warningThreshold: result.data.warningThreshold,
            actualValue: result.data.actualValue,
          });
      },
    });
    if (!parsed.ok) return parsed;
    if (problems.items.length > 0) return fail(...problems.items);
    if (!hasStatus) return ok({ status: undefined, conditions });
    const known = z.enum(qualityGateStatuses).safeParse(status);
    if (!known.success)
      return fail(
        shapeProblem(
          ['projectStatus', 'status'],
          `expected one of ${qualityGateStatuses.join(', ')}, received ${truncateText(JSON.stringify(status), 50)}`,
        ),
      );
    return ok({ status: known.data, conditions });
  },
} satisfies EvidenceReader<'qualityGate'>;
