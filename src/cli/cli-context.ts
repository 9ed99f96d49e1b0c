import { verdictExitCodes } from '../contracts/verdict.ts';
import type { Command } from 'commander';

/** What a command may touch: passed in, so tests run commands without a real terminal. */
export type CliContext = {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Standard input, for commands that read a list (e.g. `candor split`). */
  stdin?: AsyncIterable<string | Buffer> & { isTTY?: boolean };
  now: () => Date;
};

/** Documented exit codes (README.md "Exit codes"). */
export const exitCodes = {
  ok: 0,
  /** A report was rejected, nothing matched, or a report held no tests. */
  rejected: 1,
  usage: 2,
  /** Reserved for verdicts that found no tests. */
  noTests: 3,
  /** The database, a file or the network failed. */
  operational: 4,
  /** A bug in candor. */
  internal: 5,
} as const;

/**
 * The exit code of a verdict: 0 `pass`, 1 `fail`, 3 `no-tests` (README "Exit codes"): the one
 * mapping, for `candor verdict` and the demo.
 */
export function exitCodeOfVerdict(verdict: 'pass' | 'fail' | 'no-tests'): number {
  return verdictExitCodes[verdict];
}

/** The exit code of a checklist: 1 when it blocked, else 0 (warnings do not block): for `candor gate` and the demo. */
export function exitCodeOfGate(result: 'pass' | 'warn' | 'fail'): number {
  return result === 'fail' ? exitCodes.rejected : exitCodes.ok;
}

/** A command of the CLI: built with what it may touch and how it reports its exit code. */
export type CommandFactory = (context: CliContext, setExitCode: (code: number) => void) => Command;

/** True on a CI runner or when output is not a terminal: print plain lines, no progress bar. */
export function isPlainOutput(context: CliContext): boolean {
  return context.env['CI'] !== undefined && context.env['CI'] !== 'false'
    ? true
    : context.stderr.isTTY !== true;
}

/** All of standard input as text, or '' when it is a terminal or absent. */
export async function readStdin(context: CliContext): Promise<string> {
  if (!context.stdin || context.stdin.isTTY === true) return '';
  const parts: string[] = [];
  for await (const chunk of context.stdin)
    parts.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
  return parts.join('');
}
