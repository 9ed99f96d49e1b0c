import { z } from 'zod';
import type { SbomComponent } from '../../core/evidence/sbom.ts';
import { defineGateCondition } from '../gate-condition.ts';
import { listShort, plural, readEvidenceFiles } from '../read-evidence-files.ts';
import { evaluateLicence, normalisePolicy, type LicenceVerdict } from './evaluate-licence.ts';

const Licences = z.array(z.string().trim().min(1)).min(1);

/** `- sbom: { files: sbom.cdx.json, deny: [GPL-3.0-only, AGPL-3.0-only] }`. */
export const SbomOptions = z
  .strictObject({
    /** CycloneDX (1.2–1.7) or SPDX (2.2, 2.3) JSON files (paths or globs), told apart by content. */
    files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** Only these licences (SPDX IDs, or `ID WITH exception`); any other is denied. */
    allow: Licences.optional(),
    /** These licences are denied (they win over `allow`). */
    deny: Licences.optional(),
    /** What an unknown licence (none, a LicenseRef, prose) does: `warn` (default), `fail` or `pass`. */
    unknown: z.enum(['warn', 'fail', 'pass']).default('warn'),
    /** Fewest components an SBOM must list (default 1: an empty SBOM is no evidence of anything). */
    minComponents: z.int().min(0).default(1),
  })
  .superRefine((options, context) => {
    for (const key of ['allow', 'deny'] as const) {
      (options[key] ?? []).forEach((entry, index) => {
        if (normalisePolicy({ deny: [entry] }).invalid.length > 0) {
          context.addIssue({
            code: 'custom',
            path: [key, index],
            message: `"${entry}" is not one SPDX licence ID (or "ID WITH exception")`,
          });
        }
      });
    }
  });
export type SbomOptions = z.output<typeof SbomOptions>;

export type SbomEvidence = {
  sboms: { file: string; format: string; specVersion: string; components: SbomComponent[] }[];
};

const name = (c: SbomComponent) => `${c.name}${c.version ? `@${c.version}` : ''}`;
const why = (c: SbomComponent, v: LicenceVerdict) =>
  `${name(c)} (${v.reason ?? v.expression}${v.suggestion ? `; did you mean ${v.suggestion}?` : ''})`;

/** `sbom`: an SBOM is present and its components' licences pass the allow/deny lists. */
export const sbomCondition = defineGateCondition<SbomOptions, SbomEvidence>({
  id: 'sbom',
  description:
    'CycloneDX or SPDX JSON SBOM present; component licences allowed/denied on SPDX expressions, unknown ones reported',
  options: SbomOptions,
  label: (options) => `sbom ${[options.files].flat().join(', ')}`,
  async gather(options, context) {
    const files = [options.files].flat();
    const read = await readEvidenceFiles(
      'sbom',
      files,
      context,
      `an SBOM (CycloneDX or SPDX JSON) at ${files.join(', ')}`,
    );
    if (read.kind !== 'found') return read;
    return {
      kind: 'found',
      value: {
        sboms: read.value.map(({ file, model }) => ({
          file,
          format: model.format,
          specVersion: model.specVersion,
          components: model.components,
        })),
      },
      files: read.files,
    };
  },
  evaluate(evidence, options) {
    const policy = normalisePolicy({ allow: options.allow, deny: options.deny });
    const cache = new Map<string, LicenceVerdict>();
    const denied: string[] = [];
    const unknown: string[] = [];
    let components = 0;
    for (const sbom of evidence.sboms) {
      for (const component of sbom.components) {
        components++;
        const key = component.licences.join('\0');
        let verdict = cache.get(key);
        if (verdict === undefined) {
          verdict = evaluateLicence(component.licences, policy);
          cache.set(key, verdict);
        }
        if (verdict.status === 'denied') denied.push(why(component, verdict));
        else if (verdict.status === 'unknown') unknown.push(why(component, verdict));
      }
    }
    const threshold = 0;
    const formats = [
      ...new Set(
        evidence.sboms.map(
          (s) => `${s.format === 'cyclonedx' ? 'CycloneDX' : 'SPDX'} ${s.specVersion}`,
        ),
      ),
    ].join(', ');
    const few = evidence.sboms.filter((s) => s.components.length < options.minComponents);
    if (few.length > 0) {
      return {
        result: 'fail',
        value: null,
        threshold,
        message: `${listShort(few.map((s) => `${s.file} lists ${plural(s.components.length, 'component')}`))} (at least ${options.minComponents} expected)`,
      };
    }
    const unknownText =
      unknown.length > 0
        ? `${plural(unknown.length, 'unknown licence')}: ${listShort(unknown)}`
        : '';
    if (denied.length > 0) {
      return {
        result: 'fail',
        value: denied.length,
        threshold,
        message: `${plural(denied.length, 'component')} of ${components.toLocaleString('en-US')} with a denied licence: ${listShort(denied)}${unknownText ? `; ${unknownText}` : ''}`,
      };
    }
    if (unknown.length > 0 && options.unknown !== 'pass') {
      return {
        result: options.unknown,
        value: 0,
        threshold,
        message: `no denied licence among ${plural(components, 'component')} (${formats}); ${unknownText}`,
      };
    }
    return {
      result: 'pass',
      value: 0,
      threshold,
      message: `no denied licence among ${plural(components, 'component')} (${formats})${unknownText && options.unknown === 'pass' ? `; ${unknownText}` : ''}`,
    };
  },
});
