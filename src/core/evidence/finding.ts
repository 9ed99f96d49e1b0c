/** A SARIF level (SARIF 2.1.0 §3.27.10), weakest first. */
export const sarifLevels = ['none', 'note', 'warning', 'error'] as const;
export type SarifLevel = (typeof sarifLevels)[number];

/** True when `level` is at least `threshold` (`error` ≥ `warning` ≥ `note` ≥ `none`). Never throws. */
export function isAtLeastLevel(level: SarifLevel, threshold: SarifLevel): boolean {
  return sarifLevels.indexOf(level) >= sarifLevels.indexOf(threshold);
}

/**
 * One result of a SARIF run, reduced to what a gate needs: its level already resolved by the
 * spec's algorithm, suppressed results left out by the reader.
 */
export type Finding = {
  ruleId: string;
  level: SarifLevel;
  /** The primary location's artifact URI, repo-relative when it could be made so. */
  uri?: string | undefined;
  startLine?: number | undefined;
  /** The message text (truncated). */
  message: string;
  /** `partialFingerprints` and `fingerprints` as `name=value`, sorted. */
  fingerprints: string[];
  /** The region's snippet text, whitespace collapsed, when the tool wrote one. */
  snippet?: string | undefined;
};

/** One SARIF run: its tool, whether it ran (`results` present), its unsuppressed findings. */
export type FindingsRun = {
  tool: string;
  /** False when `results` is absent or null: the tool did not run (SARIF §3.14.23). */
  didRun: boolean;
  findings: Finding[];
  /** Results left out because a suppression accepts them (SARIF §3.27.23). */
  suppressed: number;
};

/** A SARIF log's runs. */
export type FindingsLog = { version: string; runs: FindingsRun[] };

/**
 * A finding as a streaming reader hands it over, before its run ends: its level is a key
 * (`levelKey`) that the run resolves when the document has been read (`StreamedFindingsRun
 * .levelOf`), because a rule configuration override may come after the results.
 */
export type StreamedFinding = Omit<Finding, 'level'> & { levelKey: string };

/** A run of a streamed SARIF log: what `FindingsRun` says, without the findings. */
export type StreamedFindingsRun = Omit<FindingsRun, 'findings'> & {
  /** The level of the findings handed over with `levelKey`. Never throws. */
  levelOf(levelKey: string): SarifLevel;
};

/** Receives each finding of a streamed log, in document order, with its run and its tool. */
export type FindingSink = (finding: StreamedFinding, run: number, tool: string) => void;
