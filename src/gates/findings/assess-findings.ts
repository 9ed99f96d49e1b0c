import type { FindingsLog, SarifLevel } from '../../core/evidence/finding.ts';
import { BaselineIndex, FindingsTally, type FindingsAssessment } from './findings-tally.ts';

export type { FindingsAssessment } from './findings-tally.ts';

/** A SARIF file read, with the name it is reported by. */
export type FindingsFile = { file: string; log: FindingsLog };

/**
 * New findings of the current SARIF files against the baseline files (none given: every
 * finding is new), matched per tool (`tool.driver.name`) after making artifact URIs
 * repo-relative to `root`; counted when their resolved level is at least `level`; the first
 * `maxListed` (default 50) listed. The whole-log form of the streamed `FindingsTally` the gate
 * uses. Pure; never throws.
 */
export function assessFindings(
  current: readonly FindingsFile[],
  baseline: readonly FindingsFile[] | undefined,
  options: { level: SarifLevel; root: string; maxListed?: number },
): FindingsAssessment {
  const index = new BaselineIndex(options.root);
  for (const { log } of baseline ?? []) {
    for (const run of log.runs) for (const finding of run.findings) index.add(run.tool, finding);
  }
  const tally = new FindingsTally(index, options);
  for (const { file, log } of current) {
    tally.startFile(file);
    log.runs.forEach((run, r) => {
      if (!run.didRun) return;
      for (const { level, ...finding } of run.findings) {
        tally.add({ ...finding, levelKey: `=${level}` }, r, run.tool);
      }
    });
    tally.endFile(
      log.runs.map((run) => ({
        tool: run.tool,
        didRun: run.didRun,
        suppressed: run.suppressed,
        levelOf: (key: string) => key.slice(1) as SarifLevel,
      })),
    );
  }
  return tally.result();
}
