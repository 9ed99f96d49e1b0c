#!/usr/bin/env -S node --max-semi-space-size=2 --max-old-space-size=256
// Runs the TypeScript sources in a checkout (Node >= 22.18 strips types), the bundle when published.
// The heap flags keep memory bounded on huge reports: V8 otherwise lets garbage from streaming
// parses pile up to several times the live set (docs/adr/0005).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const bundle = new URL('../dist/candor.js', import.meta.url);
const { runCli } = await import(existsSync(source) ? source.href : bundle.href);
process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  now: () => new Date(),
});
