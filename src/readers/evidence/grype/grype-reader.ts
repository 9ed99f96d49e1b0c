import { z } from 'zod';
import { toSeverity, type Vulnerability } from '../../../core/evidence/vulnerability.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import { issueProblems, ProblemList, shapeProblem } from '../evidence-problems.ts';
import type { EvidenceReader } from '../evidence-reader.ts';
import { streamJson } from '../stream-json.ts';

/** One entry of `matches` (Grype's JSON presenter); other properties are ignored. */
export const GrypeMatch = z.object({
  vulnerability: z.object({
    id: z.string().min(1),
    severity: z.string().optional(),
    knownExploited: z.array(z.unknown()).nullish(),
    fix: z.object({ versions: z.array(z.string()).nullish() }).nullish(),
  }),
  relatedVulnerabilities: z.array(z.object({ id: z.string() })).nullish(),
  artifact: z.object({
    name: z.string(),
    version: z.string().optional(),
    locations: z.array(z.object({ path: z.string().optional() })).nullish(),
  }),
});

/** Grype JSON (`grype … -o json`), matches streamed, aliases and KEV flags kept. */
export const grypeReader = {
  id: 'grype',
  description: 'Grype JSON: matches streamed, related IDs as aliases, its own KEV flag kept',
  kind: 'vulnerabilities',
  detectHint: 'Grype JSON (with "matches")',

  detect(head) {
    return /^\s*\{/.test(head) && /"(matches|ignoredMatches)"\s*:/.test(head);
  },

  async read(text) {
    const problems = new ProblemList();
    const vulnerabilities: Vulnerability[] = [];
    let hasMatches = false;
    const parsed = await streamJson(text, {
      paths: ['$.matches.*'],
      onStart(path, kind) {
        if (path.length === 0 && kind !== 'object') {
          problems.add(shapeProblem([], `expected object, received ${kind}`));
        }
        if (path.length === 1 && path[0] === 'matches') {
          hasMatches = true;
          if (kind !== 'array')
            problems.add(shapeProblem(['matches'], `expected array, received ${kind}`));
        }
      },
      onValue(value, path) {
        if (problems.items.length > 0) return;
        const match = GrypeMatch.safeParse(value);
        if (!match.success) return problems.add(...issueProblems(path, match.error));
        const { vulnerability, artifact, relatedVulnerabilities } = match.data;
        vulnerabilities.push({
          id: vulnerability.id,
          aliases: (relatedVulnerabilities ?? [])
            .map((related) => related.id)
            .filter((id) => id !== vulnerability.id),
          severity: toSeverity(vulnerability.severity),
          packageName: artifact.name,
          installedVersion: artifact.version,
          fixedVersion: vulnerability.fix?.versions?.[0],
          target: artifact.locations?.[0]?.path,
          isKnownExploited: (vulnerability.knownExploited ?? []).length > 0,
        });
      },
    });
    if (!parsed.ok) return parsed;
    if (problems.items.length > 0) return fail(...problems.items);
    if (!hasMatches) return fail(shapeProblem(['matches'], 'required (an array of matches)'));
    return ok({ scanner: 'grype', vulnerabilities });
  },
} satisfies EvidenceReader<'vulnerabilities'>;
