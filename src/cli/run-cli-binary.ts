import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Test support: the real `candor` executable. */
export const candorBin = fileURLToPath(new URL('../../bin/candor.js', import.meta.url));

/** Runs the real binary with a clean environment (no CI variables leak in from the test runner). */
export function runCliBinary(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; input?: string },
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
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
