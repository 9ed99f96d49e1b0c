import { z } from 'zod';
import { createReadStream } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import {
  sarifLevels,
  type FindingSink,
  type StreamedFindingsRun,
} from '../../core/evidence/finding.ts';
import { streamEvidenceFindings } from '../../readers/evidence/evidence-readers.ts';
import {
  defineGateCondition,
  type EvidenceProblem,
  type GateContext,
  type GateLocation,
} from '../gate-condition.ts';
import { listShort, plural } from '../read-evidence-files.ts';
import { BaselineIndex, FindingsTally, type FindingsAssessment } from './findings-tally.ts';

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
  /** The current files against the baseline, tallied as they streamed. */
  assessment: FindingsAssessment;
  hasBaseline: boolean;
};

/** The files `patterns` name (less `exclude`), each streamed to `sink` after `start(file)`. */
async function streamFiles(
  patterns: string | readonly string[],
  context: GateContext,
  exclude: readonly string[],
  visit: {
    start(file: string): void;
    finding: FindingSink;
    end(file: string, runs: StreamedFindingsRun[]): void;
  },
): Promise<{ files: string[]; problems: EvidenceProblem[] }> {
  const files = (await context.findFiles(patterns)).filter((file) => !exclude.includes(file));
  const problems: EvidenceProblem[] = [];
  for (const file of files) {
    const path = isAbsolute(file) ? file : join(context.root, file);
    visit.start(file);
    const outcome = await streamEvidenceFindings(() => createReadStream(path), visit.finding);
    if (outcome.ok) visit.end(file, outcome.value);
    else problems.push(...outcome.errors.map((problem) => ({ ...problem, file })));
  }
  return { files, problems };
}

/**
 * `findings`: new SARIF findings (vs a baseline) at a level, at most `maxNew`; a tool that did
 * not run fails. The files stream: the baseline becomes match keys (`BaselineIndex`), the
 * current files a tally (`FindingsTally`), so no finding is held but the first 50 new ones.
 */
export const findingsCondition = defineGateCondition<FindingsOptions, FindingsEvidence>({
  id: 'findings',
  description:
    'SARIF 2.1.0: at most maxNew new findings at a level against a baseline; a tool that did not run fails',
  options: FindingsOptions,
  label: (options) => `findings ${[options.files].flat().join(', ')}`,
  // Reads only its SARIF files (and the root): a worker thread may gather it (docs/adr/0045).
  isolatedEvidence: (options) => [options.files, options.baseline ?? []].flat(),
  async gather(options, context) {
    const current = [options.files].flat();
    const index = new BaselineIndex(context.root);
    let baselineFiles: string[] = [];
    if (options.baseline !== undefined) {
      const read = await streamFiles(options.baseline, context, [], {
        start: () => undefined,
        finding: (finding, _run, tool) => index.add(tool, finding),
        end: () => undefined,
      });
      baselineFiles = read.files;
      if (read.files.length === 0) {
        return {
          kind: 'missing',
          expected: `a baseline SARIF file at ${[options.baseline].flat().join(', ')}`,
          files: [],
        };
      }
      if (read.problems.length > 0)
        return { kind: 'invalid', problems: read.problems, files: read.files };
    }
    const tally = new FindingsTally(index, { level: options.level });
    const read = await streamFiles(current, context, baselineFiles, {
      start: (file) => tally.startFile(file),
      finding: (finding, run, tool) => tally.add(finding, run, tool),
      end: (_file, runs) => tally.endFile(runs),
    });
    const files = [...read.files, ...baselineFiles];
    if (read.files.length === 0)
      return { kind: 'missing', expected: `SARIF files at ${current.join(', ')}`, files };
    if (read.problems.length > 0) return { kind: 'invalid', problems: read.problems, files };
    return {
      kind: 'found',
      value: { assessment: tally.result(), hasBaseline: options.baseline !== undefined },
      files,
    };
  },
  evaluate(evidence, options, _now) {
    const { assessment } = evidence;
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
    const count = assessment.newCount;
    const locations: GateLocation[] = assessment.newFindings
      .filter((f) => f.uri !== undefined && !f.uri.startsWith('/'))
      .map((f) => ({
        file: f.uri ?? '',
        line: f.startLine,
        message: `${f.ruleId} (${f.level}, new): ${f.message.slice(0, 200)}`,
      }));
    const against = !evidence.hasBaseline
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
          : `${plural(count, 'new finding')} at ${options.level} or above (at most ${options.maxNew}): ${listShort(examples)}; ${extras.join('; ')}${count > assessment.newFindings.length ? `; the first ${assessment.newFindings.length} listed` : ''}`,
      locations,
    };
  },
});
