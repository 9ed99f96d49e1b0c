import { z } from 'zod';
import { KevCatalog } from '../../core/evidence/kev-catalog.ts';
import { severities, type Vulnerability } from '../../core/evidence/vulnerability.ts';
import { formatIssuePath } from '../../core/lib/format-issue-path.ts';
import { defineGateCondition } from '../gate-condition.ts';
import { listShort, plural, readEvidenceFiles } from '../read-evidence-files.ts';
import { assessVulnerabilities } from './assess-vulnerabilities.ts';
import sample from './kev-sample.json' with { type: 'json' };

/** Where `candor kev update --from FILE` keeps the catalog, relative to the repository root. */
export const kevCatalogFile = '.candor/kev.json';

const Severity = z.enum(severities);

/** An allow-list entry: `{ id: CVE-2024-1, reason: "…", expires: 2027-01-31, package: lodash }`. */
export const AllowEntry = z.strictObject({
  id: z.string().trim().min(1),
  reason: z.string().trim().min(1, 'a reason is required: why this vulnerability is accepted'),
  /** The last day the entry applies (YAML dates are accepted). */
  expires: z.union([z.iso.date(), z.date().transform((date) => date.toISOString().slice(0, 10))]),
  package: z.string().min(1).optional(),
});

/** `- vulnerabilities: { files: trivy.json, failOn: [critical, high], kev: true }`. */
export const VulnerabilitiesOptions = z.strictObject({
  /** Trivy JSON or Grype JSON files (paths or globs), told apart by content. */
  files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Severities that fail (default critical and high). */
  failOn: z.array(Severity).default(['critical', 'high']),
  /** Severities that warn (default none). */
  warnOn: z.array(Severity).default([]),
  /** Known-exploited vulnerabilities (CISA KEV) fail whatever their severity. */
  kev: z.boolean().default(false),
  allow: z.array(AllowEntry).default([]),
});
export type VulnerabilitiesOptions = z.output<typeof VulnerabilitiesOptions>;

export type VulnerabilitiesEvidence = {
  vulnerabilities: Vulnerability[];
  catalog?: { catalog: KevCatalog; source: string } | undefined;
};

const bundled = KevCatalog.parse(sample);

function describeVulnerability(v: Vulnerability, isKnownExploited: boolean): string {
  return `${v.id} in ${v.packageName}${v.installedVersion ? ` ${v.installedVersion}` : ''} (${v.severity}${isKnownExploited ? ', known exploited' : ''})`;
}

/** `vulnerabilities`: Trivy or Grype findings by severity, known-exploited ones (KEV), an allow-list with expiry. */
export const vulnerabilitiesCondition = defineGateCondition<
  VulnerabilitiesOptions,
  VulnerabilitiesEvidence
>({
  id: 'vulnerabilities',
  description:
    'Trivy or Grype JSON: no vulnerability of the failOn severities or known exploited (KEV), unless allowed until a date',
  options: VulnerabilitiesOptions,
  label: (options) => `vulnerabilities ${[options.files].flat().join(', ')}`,
  async gather(options, context) {
    const files = [options.files].flat();
    const read = await readEvidenceFiles(
      'vulnerabilities',
      files,
      context,
      `a Trivy or Grype JSON report at ${files.join(', ')}`,
    );
    if (read.kind !== 'found') return read;
    const vulnerabilities = read.value.flatMap(({ model }) => model.vulnerabilities);
    if (!options.kev) return { kind: 'found', value: { vulnerabilities }, files: read.files };
    const text = await context.readText(kevCatalogFile);
    if (text === undefined) {
      return {
        kind: 'found',
        value: { vulnerabilities, catalog: { catalog: bundled, source: 'the bundled sample' } },
        files: read.files,
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return {
        kind: 'invalid',
        problems: [{ file: kevCatalogFile, message: `invalid JSON: ${(error as Error).message}` }],
        files: [...read.files, kevCatalogFile],
      };
    }
    const catalog = KevCatalog.safeParse(json);
    if (!catalog.success) {
      return {
        kind: 'invalid',
        problems: catalog.error.issues.slice(0, 20).map((issue) => ({
          file: kevCatalogFile,
          path: formatIssuePath(issue.path),
          message: `${formatIssuePath(issue.path) || '(root)'}: ${issue.message}`,
        })),
        files: [...read.files, kevCatalogFile],
      };
    }
    return {
      kind: 'found',
      value: { vulnerabilities, catalog: { catalog: catalog.data, source: kevCatalogFile } },
      files: [...read.files, kevCatalogFile],
    };
  },
  evaluate(evidence, options, now) {
    const today = now.toISOString().slice(0, 10);
    const assessment = assessVulnerabilities(
      evidence.vulnerabilities,
      options,
      evidence.catalog?.catalog,
      today,
    );
    const failOn = options.failOn.join('/') || 'no severity';
    const threshold = `0 ${failOn}${options.kev ? ' or known exploited' : ''}`;
    const notes = [
      evidence.catalog === undefined
        ? ''
        : `KEV catalog ${evidence.catalog.catalog.catalogVersion} (${evidence.catalog.source})`,
      assessment.allowed.length > 0
        ? `${plural(assessment.allowed.length, 'allowed')}: ${listShort(
            assessment.allowed.map(
              (a) => `${a.vulnerability.id} until ${a.entry.expires} (${a.entry.reason})`,
            ),
            2,
          )}`
        : '',
      assessment.expired.length > 0
        ? `${plural(assessment.expired.length, 'allow-list entry', 'allow-list entries')} expired: ${listShort(assessment.expired.map((e) => `${e.id} on ${e.expires}`))}`
        : '',
      assessment.unjoinable.length > 0
        ? `${plural(assessment.unjoinable.length, 'ID')} without a CVE cannot be looked up in KEV: ${listShort(assessment.unjoinable)}`
        : '',
    ].filter((text) => text !== '');
    const tail = notes.length > 0 ? `; ${notes.join('; ')}` : '';
    const failing = assessment.failing.length;
    if (failing > 0) {
      return {
        result: 'fail',
        value: failing,
        threshold,
        message: `${plural(failing, 'vulnerability', 'vulnerabilities')} of ${assessment.total.toLocaleString('en-US')} fail (${threshold.slice(2)}): ${listShort(assessment.failing.map((f) => describeVulnerability(f.vulnerability, f.isKnownExploited)))}${tail}`,
      };
    }
    if (assessment.warning.length > 0) {
      return {
        result: 'warn',
        value: 0,
        threshold,
        message: `${plural(assessment.warning.length, 'vulnerability', 'vulnerabilities')} to look at (${options.warnOn.join('/')}): ${listShort(assessment.warning.map((f) => describeVulnerability(f.vulnerability, f.isKnownExploited)))}${tail}`,
      };
    }
    return {
      result: 'pass',
      value: 0,
      threshold,
      message: `no vulnerability of ${failOn}${options.kev ? ' or known exploited' : ''} among ${plural(assessment.total, 'vulnerability', 'vulnerabilities')}${tail}`,
    };
  },
});
