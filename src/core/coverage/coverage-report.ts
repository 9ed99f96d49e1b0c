/**
 * Line coverage as candor keeps it, whatever the format: per source file (the path as the tool
 * wrote it), the hit count of each instrumented line. Recomputed from the line records of a
 * report, never from its summary counters (`LF`/`LH`, `line-rate`, `pct`).
 */
export type CoverageReport = {
  /** Source file path as written by the tool → line number → hits (the largest count seen). */
  files: Map<string, Map<number, number>>;
  /** Directories the report says its paths are relative to (Cobertura `<source>`), in order. */
  roots: string[];
};

/** Lines instrumented and lines hit (hits > 0) of a set of line records. Never throws. */
export function countLines(lines: ReadonlyMap<number, number>): { total: number; covered: number } {
  let covered = 0;
  for (const hits of lines.values()) if (hits > 0) covered++;
  return { total: lines.size, covered };
}

/** Records `hits` for `line` of `file`, keeping the largest count seen for a line. */
export function recordLine(report: CoverageReport, file: string, line: number, hits: number): void {
  let lines = report.files.get(file);
  if (lines === undefined) {
    lines = new Map();
    report.files.set(file, lines);
  }
  const before = lines.get(line);
  if (before === undefined || hits > before) lines.set(line, hits);
}

/** An empty report. */
export function emptyCoverageReport(): CoverageReport {
  return { files: new Map(), roots: [] };
}
