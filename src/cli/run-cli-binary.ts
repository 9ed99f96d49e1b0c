import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** Test support: the real `candor` executable. */
export const candorBin = fileURLToPath(new URL('../../bin/candor.js', import.meta.url));

/**
 * Runs the real binary with a clean environment (no CI variables leak in from the test runner).
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
      [candorBin, ...args],
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
