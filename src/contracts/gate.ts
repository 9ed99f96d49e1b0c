/** pass, warn (never blocks) or fail (blocks). */
type GateResult = 'pass' | 'warn' | 'fail';
/** A measured value or threshold: a number, a short text, or none. */
type GateValue = number | string | null;

/**
 * `candor gate <checklist> --json` (README "candor gate"): the checklist's result (`fail` blocks:
 * exit 1) and one entry per condition in the checklist's order, with the measured value, the
 * threshold, the evidence files read and a one-line message; then the commit, the service and
 * the ledger event recorded (null with `--no-record`).
 */
export type GateJson = {
  checklist: string;
  result: GateResult;
  conditions: {
    name: string;
    kind: string;
    result: GateResult;
    value: GateValue;
    threshold: GateValue;
    evidence: string[];
    message: string;
    enforce: 'block' | 'warn';
    locations: { file: string; line?: number | undefined; message: string }[];
  }[];
  commit: string | null;
  service: string;
  recorded: { type: 'policy_passed' | 'policy_failed'; id: string } | null;
  exitCode: number;
};
