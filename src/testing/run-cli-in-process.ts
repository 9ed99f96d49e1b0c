import { Readable } from 'node:stream';
import { runCli } from '../cli/main.ts';

/**
 * Test support: runs `candor` in this process, with the same arguments, environment and result
 * shape as `runCliBinary`, without the ~1 s a fresh Node process spends loading the sources.
 * Commands touch only what their context gives them (cwd, env, stdio, clock), so the answer is
 * the binary's; tests of the launcher itself (heap cap, EPIPE, Node version, signals) spawn it.
 */
export async function runCliInProcess(
  args: string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    input?: string | AsyncIterable<Uint8Array>;
    now?: () => Date;
  },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const stdin =
    options.input === undefined
      ? Readable.from([])
      : typeof options.input === 'string'
        ? Readable.from([Buffer.from(options.input)])
        : Readable.from(options.input);
  const code = await runCli(args, {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: options.cwd, ...options.env },
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
    stdin,
    now: options.now ?? (() => new Date()),
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}
