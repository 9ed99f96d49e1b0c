import { z } from 'zod';
import { toSeverity, type Vulnerability } from '../../../core/evidence/vulnerability.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import { issueProblems, ProblemList, shapeProblem } from '../evidence-problems.ts';
import type { EvidenceReader } from '../evidence-reader.ts';
import { streamJson } from '../stream-json.ts';

/** One entry of `Results[].Vulnerabilities` (Trivy's Go field names); others are ignored. */
export const TrivyVulnerability = z.object({
  VulnerabilityID: z.string().min(1),
  PkgName: z.string(),
  PkgID: z.string().optional(),
  InstalledVersion: z.string().optional(),
  FixedVersion: z.string().optional(),
  Severity: z.string().optional(),
  Status: z.string().optional(),
});

/** Trivy JSON (`trivy … --format json`, `SchemaVersion: 2`), vulnerabilities streamed. */
export const trivyReader = {
  id: 'trivy',
  description: 'Trivy JSON (SchemaVersion 2): vulnerabilities of every result, streamed',
  kind: 'vulnerabilities',
  detectHint: 'Trivy JSON (with "SchemaVersion": 2)',

  detect(head) {
    return /^\s*\{/.test(head) && /"(SchemaVersion|ArtifactName|Results)"\s*:/.test(head);
  },

  async read(text) {
    const problems = new ProblemList();
    const targets: string[] = [];
    const found: { result: number; vulnerability: Omit<Vulnerability, 'target'> }[] = [];
    let schemaVersion: unknown;
    const parsed = await streamJson(text, {
      paths: ['$.SchemaVersion', '$.Results.*.Target', '$.Results.*.Vulnerabilities.*'],
      onStart(path, kind) {
        if (path.length === 0 && kind !== 'object') {
          problems.add(shapeProblem([], `expected object, received ${kind}`));
        }
        if (path.length === 1 && path[0] === 'Results' && kind !== 'array' && kind !== 'null') {
          problems.add(shapeProblem(['Results'], `expected array, received ${kind}`));
        }
      },
      onValue(value, path) {
        if (path[0] === 'SchemaVersion') {
          schemaVersion = value;
          return;
        }
        const result = path[1] as number;
        if (path[2] === 'Target') {
          targets[result] = typeof value === 'string' ? value : '';
          return;
        }
        if (problems.items.length > 0) return;
        const entry = TrivyVulnerability.safeParse(value);
        if (!entry.success) return problems.add(...issueProblems(path, entry.error));
        const v = entry.data;
        found.push({
          result,
          vulnerability: {
            id: v.VulnerabilityID,
            aliases: [],
            severity: toSeverity(v.Severity),
            packageName: v.PkgName,
            installedVersion: v.InstalledVersion,
            fixedVersion: v.FixedVersion,
          },
        });
      },
    });
    if (!parsed.ok) return parsed;
    if (problems.items.length > 0) return fail(...problems.items);
    if (schemaVersion === undefined) {
      return fail(shapeProblem(['SchemaVersion'], 'required (expected 2)'));
    }
    if (schemaVersion !== 2) {
      return fail(
        shapeProblem(
          ['SchemaVersion'],
          `Trivy JSON schema version ${JSON.stringify(schemaVersion)} is not supported (expected 2)`,
        ),
      );
    }
    return ok({
      scanner: 'trivy',
      vulnerabilities: found.map(({ result, vulnerability }) => ({
        ...vulnerability,
        target: targets[result],
      })),
    });
  },
} satisfies EvidenceReader<'vulnerabilities'>;
