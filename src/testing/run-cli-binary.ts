import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** Test support: the real `candor` executable. */
export const candorBin = fileURLToPath(new URL('../../bin/candor.js', import.meta.url));

/**
 * The V8 flags of the shipped launcher (its shebang line, e.g. the 256 MB heap cap): a child run
 * as `node <flags> bin/candor.js` behaves as users' `candor` does, memory included.
 */
export const launcherFlags: readonly string[] = (
  readFileSync(candorBin, 'utf8').split('\n')[0] ?? ''
)
  .split(/\s+/)
  .filter((part) => part.startsWith('--'));

/**
 * Runs the real binary with the launcher's flags and a clean environment (no CI variables leak
 * in from the test runner).
 * `input` is standard input: a string, or chunks streamed as the child reads them (for inputs
 * too large to hold).
 */
export function runCliBinary(
  args: string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    input?: string | AsyncIterable<Uint8Array>;
  },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...launcherFlags, candorBin, ...args],
      {
        cwd: options.cwd,
        env: { PATH: process.env['PATH'] ?? '', HOME: options.cwd, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (typeof options.input === 'string') child.stdin?.end(options.input);
    else if (options.input !== undefined && child.stdin) {
      // A child that exits before reading everything closes the pipe: that is its answer.
      child.stdin.on('error', () => {});
      Readable.from(options.input).pipe(child.stdin);
    }
  });
}
