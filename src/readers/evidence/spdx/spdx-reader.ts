import { z } from 'zod';
import type { SbomComponent } from '../../../core/evidence/sbom.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import { issueProblems, ProblemList, shapeProblem } from '../evidence-problems.ts';
import type { EvidenceReader } from '../evidence-reader.ts';
import { streamJson } from '../stream-json.ts';

/** The SPDX versions read (JSON); SPDX 3 is a JSON-LD graph, another format. */
export const spdxVersions = ['SPDX-2.2', 'SPDX-2.3'] as const;

/** One entry of `packages`; other properties are ignored. */
export const SpdxPackage = z.object({
  name: z.string(),
  versionInfo: z.string().optional(),
  licenseConcluded: z.string().optional(),
  licenseDeclared: z.string().optional(),
  externalRefs: z
    .array(
      z.object({ referenceType: z.string().optional(), referenceLocator: z.string().optional() }),
    )
    .nullish(),
});

/** `NOASSERTION` and `NONE` say nothing a policy can use. */
function isStated(expression: string | undefined): expression is string {
  return expression !== undefined && !/^\s*(NOASSERTION|NONE)?\s*$/i.test(expression);
}

function toComponent(entry: z.infer<typeof SpdxPackage>): SbomComponent {
  const stated = [entry.licenseConcluded, entry.licenseDeclared].find(isStated);
  return {
    name: entry.name,
    version: entry.versionInfo,
    purl: entry.externalRefs?.find((ref) => ref.referenceType === 'purl')?.referenceLocator,
    licences: stated === undefined ? [] : [stated],
  };
}

/** SPDX 2.2 and 2.3 JSON: packages streamed, the concluded licence or else the declared one. */
export const spdxReader = {
  id: 'spdx',
  description: 'SPDX 2.2 and 2.3 JSON: packages streamed, concluded licence else declared',
  kind: 'sbom',
  detectHint: 'SPDX 2.x JSON (with "spdxVersion")',

  detect(head) {
    return /^\s*\{/.test(head) && /"(spdxVersion|SPDXID)"\s*:/.test(head);
  },

  async read(text) {
    const problems = new ProblemList();
    const components: SbomComponent[] = [];
    let version: unknown;
    let isJsonLd = false;
    const parsed = await streamJson(text, {
      paths: ['$.spdxVersion', '$.packages.*'],
      onStart(path, kind) {
        if (path.length === 0 && kind !== 'object') {
          problems.add(shapeProblem([], `expected object, received ${kind}`));
        }
        if (path.length === 1 && path[0] === '@context') isJsonLd = true;
      },
      onValue(value, path) {
        if (path.length === 1) {
          version = value;
          return;
        }
        if (problems.items.length > 0) return;
        const entry = SpdxPackage.safeParse(value);
        if (!entry.success) return problems.add(...issueProblems(path, entry.error));
        components.push(toComponent(entry.data));
      },
    });
    if (!parsed.ok) return parsed;
    if (typeof version !== 'string' || !(spdxVersions as readonly string[]).includes(version)) {
      return fail(
        shapeProblem(
          ['spdxVersion'],
          isJsonLd
            ? 'SPDX 3 JSON-LD is not supported (expected SPDX 2.2 or 2.3 JSON)'
            : `SPDX version ${JSON.stringify(version)} is not supported (expected ${spdxVersions.join(' or ')})`,
        ),
      );
    }
    if (problems.items.length > 0) return fail(...problems.items);
    return ok({ format: 'spdx', specVersion: version.slice(5), components });
  },
} satisfies EvidenceReader<'sbom'>;
