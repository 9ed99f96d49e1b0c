import { z } from 'zod';
import type { SbomComponent } from '../../../core/evidence/sbom.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import { issueProblems, ProblemList, shapeProblem } from '../evidence-problems.ts';
import type { EvidenceReader } from '../evidence-reader.ts';
import { streamJson } from '../stream-json.ts';

/** The spec versions read: the JSON format exists from 1.2. */
export const cyclonedxVersions = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;

const LicenceChoice = z.union([
  z.object({
    license: z.object({ id: z.string().optional(), name: z.string().optional() }),
  }),
  z.object({ expression: z.string() }),
]);

type CyclonedxComponent = {
  name: string;
  version?: string | undefined;
  purl?: string | undefined;
  licenses?: z.infer<typeof LicenceChoice>[] | null | undefined;
  components?: CyclonedxComponent[] | null | undefined;
};

/** A component (`components[]`, nested ones inside); other properties are ignored. */
export const CyclonedxComponent: z.ZodType<CyclonedxComponent> = z.lazy(() =>
  z.object({
    name: z.string(),
    version: z.string().optional(),
    purl: z.string().optional(),
    licenses: z.array(LicenceChoice).nullish(),
    components: z.array(CyclonedxComponent).nullish(),
  }),
);

function* flatten(component: CyclonedxComponent): Generator<SbomComponent> {
  yield {
    name: component.name,
    version: component.version,
    purl: component.purl,
    licences: (component.licenses ?? []).flatMap((choice) =>
      'expression' in choice
        ? [choice.expression]
        : [choice.license.id ?? choice.license.name ?? ''].filter((text) => text !== ''),
    ),
  };
  for (const child of component.components ?? []) yield* flatten(child);
}

/** CycloneDX JSON 1.2–1.7: components streamed (nested ones flattened) with their licences. */
export const cyclonedxReader = {
  id: 'cyclonedx',
  description:
    'CycloneDX JSON 1.2 to 1.7: components streamed, nested ones flattened, licences kept',
  kind: 'sbom',
  detectHint: 'CycloneDX JSON (with "bomFormat": "CycloneDX")',

  detect(head) {
    return /^\s*\{/.test(head) && /"bomFormat"\s*:\s*"CycloneDX"/.test(head);
  },

  async read(text) {
    const problems = new ProblemList();
    const components: SbomComponent[] = [];
    const header: Record<string, unknown> = {};
    const parsed = await streamJson(text, {
      paths: ['$.bomFormat', '$.specVersion', '$.components.*'],
      onStart(path, kind) {
        if (path.length === 0 && kind !== 'object') {
          problems.add(shapeProblem([], `expected object, received ${kind}`));
        }
      },
      onValue(value, path) {
        if (path.length === 1) {
          header[path[0] as string] = value;
          return;
        }
        if (problems.items.length > 0) return;
        const component = CyclonedxComponent.safeParse(value);
        if (!component.success) return problems.add(...issueProblems(path, component.error));
        for (const flat of flatten(component.data)) components.push(flat);
      },
    });
    if (!parsed.ok) return parsed;
    if (header['bomFormat'] !== 'CycloneDX') {
      return fail(shapeProblem(['bomFormat'], 'expected "CycloneDX"'));
    }
    const version = header['specVersion'];
    if (
      typeof version !== 'string' ||
      !(cyclonedxVersions as readonly string[]).includes(version)
    ) {
      return fail(
        shapeProblem(
          ['specVersion'],
          `CycloneDX version ${JSON.stringify(version)} is not supported (expected ${cyclonedxVersions.join(', ')})`,
        ),
      );
    }
    if (problems.items.length > 0) return fail(...problems.items);
    return ok({ format: 'cyclonedx', specVersion: version, components });
  },
} satisfies EvidenceReader<'sbom'>;
