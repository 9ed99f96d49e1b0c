#!/usr/bin/env -S node --max-semi-space-size=2 --max-old-space-size=256
// Runs the TypeScript sources in a checkout (Node >= 22.18 strips types), the bundle when published.
// The heap flags keep memory bounded on huge reports: V8 otherwise lets garbage from streaming
// parses pile up to several times the live set (docs/adr/0005).
// Written for any Node.js: an older one gets one line saying which it is, not a stack trace.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const bundle = new URL('../dist/candor.js', import.meta.url);
const isCheckout = existsSync(source);
// package.json "engines"; a checkout runs the TypeScript sources, which needs type stripping.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const needed = isCheckout ? [22, 18] : [22, 13];
if (major < needed[0] || (major === needed[0] && minor < needed[1])) {
  process.stderr.write(
    `candor needs Node.js ${needed.join('.')} or newer${isCheckout ? ' to run from a checkout' : ''}; this is Node.js ${process.versions.node} (${process.execPath})\n`,
  );
  process.exit(4);
}

// `candor ... | head` closes the pipe early: stop writing, and still exit with the command's code.
let isStdoutClosed = false;
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  isStdoutClosed = true;
});
const stdout = {
  write: (text) => (isStdoutClosed ? false : process.stdout.write(text)),
  get isTTY() {
    return process.stdout.isTTY;
  },
};

// The bundle's compiled code is kept between runs (Node's compile cache, under the temp directory;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off), as tsc does: a CLI step in CI is mostly start-up
// (docs/adr/0047). Node < 22.1 has no such cache and skips this.
if (!isCheckout) (await import('node:module')).enableCompileCache?.();
const { runCli } = await import(isCheckout ? source.href : bundle.href);
process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  now: () => new Date(),
});
