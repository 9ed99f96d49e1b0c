import type { Problem } from '../core/lib/problem.ts';
import type { RunVerdict } from '../core/quarantine/judge-run.ts';

/**
 * `candor verdict --json`: the core's verdict (an unreadable report makes it `fail`), the exit
 * code the CLI returns, and each report with its format, test count and problems.
 */
export type VerdictJson = RunVerdict & {
  exitCode: number;
  reports: { path: string; format: string | null; tests: number; errors: Problem[] }[];
};

/** The exit code of a verdict (README "Exit codes"): 0 `pass`, 1 `fail`, 3 `no-tests`. */
export const verdictExitCodes = { pass: 0, fail: 1, 'no-tests': 3 } as const;

/** The exit code `candor verdict` returns for a verdict, the one mapping (CLI and server). */
export function exitCodeOfVerdict(verdict: RunVerdict['verdict']): number {
  return verdictExitCodes[verdict];
}
