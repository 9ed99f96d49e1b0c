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
