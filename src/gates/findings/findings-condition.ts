import { z } from 'zod';
import { sarifLevels } from '../../core/evidence/finding.ts';
import { defineGateCondition, type GateLocation } from '../gate-condition.ts';
import { listShort, plural, readEvidenceFiles } from '../read-evidence-files.ts';
import { assessFindings, type FindingsFile } from './assess-findings.ts';

const Files = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** `- findings: { files: "reports/*.sarif", baseline: reports/baseline.sarif, maxNew: 0, level: error }`. */
export const FindingsOptions = z.strictObject({
  /** SARIF 2.1.0 files (paths or globs); the baseline files are left out of them. */
  files: Files,
  /** The SARIF of the base (the merge-base run); without it every finding counts as new. */
  baseline: Files.optional(),
  /** New findings allowed at or above `level` (default 0). */
  maxNew: z.int().min(0).default(0),
  /** The lowest level counted (default `error`): `none`, `note`, `warning` or `error`. */
  level: z.enum(sarifLevels).default('error'),
});
export type FindingsOptions = z.output<typeof FindingsOptions>;

export type FindingsEvidence = {
  current: FindingsFile[];
  baseline?: FindingsFile[] | undefined;
  /** The repository root, to make absolute artifact URIs relative. */
  root: string;
};

/** `findings`: new SARIF findings (vs a baseline) at a level, at most `maxNew`; a tool that did not run fails. */
export const findingsCondition = defineGateCondition<FindingsOptions, FindingsEvidence>({
  id: 'findings',
  description:
    'SARIF 2.1.0: at most maxNew new findings at a level against a baseline; a tool that did not run fails',
  options: FindingsOptions,
  label: (options) => `findings ${[options.files].flat().join(', ')}`,
  async gather(options, context) {
    const current = [options.files].flat();
    let baseline: FindingsFile[] | undefined;
    let baselineFiles: string[] = [];
    if (options.baseline !== undefined) {
      const read = await readEvidenceFiles(
        'findings',
        options.baseline,
        context,
        `a baseline SARIF file at ${[options.baseline].flat().join(', ')}`,
      );
      if (read.kind !== 'found') return read;
      baseline = read.value.map(({ file, model }) => ({ file, log: model }));
      baselineFiles = [...read.files];
    }
    const read = await readEvidenceFiles(
      'findings',
      current,
      context,
      `SARIF files at ${current.join(', ')}`,
      baselineFiles,
    );
    if (read.kind !== 'found') return { ...read, files: [...read.files, ...baselineFiles] };
    return {
      kind: 'found',
      value: {
        current: read.value.map(({ file, model }) => ({ file, log: model })),
        baseline,
        root: context.root,
      },
      files: [...read.files, ...baselineFiles],
    };
  },
  evaluate(evidence, options, _now) {
    const assessment = assessFindings(evidence.current, evidence.baseline, {
      level: options.level,
      root: evidence.root,
    });
    const threshold = options.maxNew;
    if (assessment.notRun.length > 0) {
      const runs = assessment.notRun.map(
        (r) => `${r.tool || 'a tool'} in ${r.file} (run ${r.run})`,
      );
      return {
        result: 'fail',
        value: null,
        threshold,
        message: `the tool did not run: ${listShort(runs)} has no results (absent or null), so nothing was analysed`,
        locations: assessment.notRun.map((r) => ({
          file: r.file,
          message: `${r.tool || 'a tool'} did not run: no results`,
        })),
      };
    }
    const count = assessment.newFindings.length;
    const locations: GateLocation[] = assessment.newFindings
      .filter((f) => f.uri !== undefined && !f.uri.startsWith('/'))
      .slice(0, 200)
      .map((f) => ({
        file: f.uri ?? '',
        line: f.startLine,
        message: `${f.ruleId} (${f.level}, new): ${f.message.slice(0, 200)}`,
      }));
    const against =
      evidence.baseline === undefined
        ? 'no baseline'
        : `${plural(assessment.matched, 'finding')} matched the baseline`;
    const extras = [
      against,
      assessment.belowLevel > 0 ? `${assessment.belowLevel} new below ${options.level}` : '',
      assessment.suppressed > 0 ? `${assessment.suppressed} suppressed` : '',
    ].filter((text) => text !== '');
    const examples = assessment.newFindings
      .slice(0, 3)
      .map(
        (f) =>
          `${f.ruleId} at ${f.uri ?? '?'}${f.startLine === undefined ? '' : `:${f.startLine}`}`,
      );
    return {
      result: count > options.maxNew ? 'fail' : 'pass',
      value: count,
      threshold,
      message:
        count === 0
          ? `no new finding at ${options.level} or above (${extras.join('; ')})`
          : `${plural(count, 'new finding')} at ${options.level} or above (at most ${options.maxNew}): ${listShort(examples)}; ${extras.join('; ')}`,
      locations,
    };
  },
});
