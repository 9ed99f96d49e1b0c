/**
 * Line coverage as candor keeps it, whatever the format: per source file (the path as the tool
 * wrote it), the hit count of each instrumented line. Recomputed from the line records of a
 * report, never from its summary counters (`LF`/`LH`, `line-rate`, `pct`).
 */
export type CoverageReport = {
  /** Source file path as written by the tool → its line records. */
  files: Map<string, LineHits>;
  /** Directories the report says its paths are relative to (Cobertura `<source>`), in order. */
  roots: string[];
};

/**
 * One file's line records, compact (a 100 MB LCOV holds ten million of them): `hits[line]` is
 * the largest count seen for the line, capped at 2³¹−1, or −1 when the line is not instrumented.
 */
export type LineHits = { hits: Int32Array };

const notInstrumented = -1;
const maxHits = 2 ** 31 - 1;

/** An array of `length` slots, every one not instrumented. */
function newHits(length: number): Int32Array {
  return new Int32Array(length).fill(notInstrumented);
}

/** No line records. */
export function emptyLineHits(): LineHits {
  return { hits: newHits(16) };
}

/** Records `hits` for `line` (≥ 1), keeping the largest count seen for a line. */
export function recordHits(lines: LineHits, line: number, hits: number): void {
  if (line >= lines.hits.length) {
    const grown = newHits(Math.max(line + 1, lines.hits.length * 2));
    grown.set(lines.hits);
    lines.hits = grown;
  }
  const capped = Math.min(maxHits, Math.floor(hits));
  if (capped > (lines.hits[line] ?? notInstrumented)) lines.hits[line] = capped;
}

/**
 * Makes room for lines up to `last` without recording any (a reader that knows the likely
 * length saves the doublings from 16: a 100 MB LCOV has 20,000 files).
 */
export function reserveLines(lines: LineHits, last: number): void {
  if (last < lines.hits.length) return;
  const grown = newHits(last + 1);
  grown.set(lines.hits);
  lines.hits = grown;
}

/** The hits of `line`, or undefined when it is not instrumented. Never throws. */
export function hitsAt(lines: LineHits, line: number): number | undefined {
  const hits = lines.hits[line];
  return hits === undefined || hits < 0 ? undefined : hits;
}

/** The instrumented lines and their hits, by line number. */
export function* eachLine(lines: LineHits): Generator<[line: number, hits: number]> {
  for (let line = 1; line < lines.hits.length; line++) {
    const hits = lines.hits[line] as number;
    if (hits >= 0) yield [line, hits];
  }
}

/** Folds `source` into `target` (the largest count per line). */
export function mergeLineHits(target: LineHits, source: LineHits): void {
  for (const [line, hits] of eachLine(source)) recordHits(target, line, hits);
}

/** Lines instrumented and lines hit (hits > 0) of a file's records. Never throws. */
export function countLines(lines: LineHits): { total: number; covered: number } {
  let total = 0;
  let covered = 0;
  for (let line = 1; line < lines.hits.length; line++) {
    const hits = lines.hits[line] as number;
    if (hits >= 0) total++;
    if (hits > 0) covered++;
  }
  return { total, covered };
}

/** The records of `file`, created empty when the report has none yet. */
export function fileLines(report: CoverageReport, file: string): LineHits {
  let lines = report.files.get(file);
  if (lines === undefined) {
    lines = emptyLineHits();
    report.files.set(file, lines);
  }
  return lines;
}

/** Records `hits` for `line` of `file`, keeping the largest count seen for a line. */
export function recordLine(report: CoverageReport, file: string, line: number, hits: number): void {
  recordHits(fileLines(report, file), line, hits);
}

/** An empty report. */
export function emptyCoverageReport(): CoverageReport {
  return { files: new Map(), roots: [] };
}
