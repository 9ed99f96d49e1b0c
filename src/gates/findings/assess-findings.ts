import {
  isAtLeastLevel,
  type Finding,
  type FindingsLog,
  type SarifLevel,
} from '../../core/evidence/finding.ts';
import { matchNewFindings } from './match-new-findings.ts';
import { normaliseArtifactUri } from './normalise-artifact-uri.ts';

/** A SARIF file read, with the name it is reported by. */
export type FindingsFile = { file: string; log: FindingsLog };

export type FindingsAssessment = {
  /** Runs whose tool did not run (`results` absent or null): the gate fails on them. */
  notRun: { file: string; run: number; tool: string }[];
  /** New findings at or above the level, in file and result order, with the file they came from. */
  newFindings: (Finding & { file: string; tool: string })[];
  /** Findings (at any level) matched to the baseline. */
  matched: number;
  /** New findings below the level: not counted. */
  belowLevel: number;
  /** Findings read in the current files (unsuppressed), and those left out as suppressed. */
  total: number;
  suppressed: number;
};

function normalised(finding: Finding, root: string): Finding {
  return finding.uri === undefined
    ? finding
    : { ...finding, uri: normaliseArtifactUri(finding.uri, root) };
}

/**
 * New findings of the current SARIF files against the baseline files (none given: every
 * finding is new), matched per tool (`tool.driver.name`) with `matchNewFindings` after making
 * artifact URIs repo-relative to `root`; counted when their resolved level is at least `level`.
 * Pure; never throws.
 */
export function assessFindings(
  current: readonly FindingsFile[],
  baseline: readonly FindingsFile[] | undefined,
  options: { level: SarifLevel; root: string },
): FindingsAssessment {
  const assessment: FindingsAssessment = {
    notRun: [],
    newFindings: [],
    matched: 0,
    belowLevel: 0,
    total: 0,
    suppressed: 0,
  };
  const baselineByTool = new Map<string, Finding[]>();
  for (const { log } of baseline ?? []) {
    for (const run of log.runs) {
      const list = baselineByTool.get(run.tool) ?? [];
      for (const finding of run.findings) list.push(normalised(finding, options.root));
      baselineByTool.set(run.tool, list);
    }
  }
  const currentByTool = new Map<string, { findings: Finding[]; files: string[] }>();
  for (const { file, log } of current) {
    log.runs.forEach((run, index) => {
      assessment.suppressed += run.suppressed;
      if (!run.didRun) {
        assessment.notRun.push({ file, run: index, tool: run.tool });
        return;
      }
      const list = currentByTool.get(run.tool) ?? { findings: [], files: [] };
      for (const finding of run.findings) {
        list.findings.push(normalised(finding, options.root));
        list.files.push(file);
      }
      currentByTool.set(run.tool, list);
    });
  }
  for (const [tool, { findings, files }] of currentByTool) {
    assessment.total += findings.length;
    const matches = matchNewFindings(findings, baselineByTool.get(tool) ?? []);
    findings.forEach((finding, i) => {
      if (matches[i] !== 'new') assessment.matched++;
      else if (isAtLeastLevel(finding.level, options.level)) {
        assessment.newFindings.push({ ...finding, file: files[i] ?? '', tool });
      } else assessment.belowLevel++;
    });
  }
  return assessment;
}
