#!/usr/bin/env node
// Runs the TypeScript sources in a checkout (Node >= 22.18 strips types), the bundle when published.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const bundle = new URL('../dist/candor.js', import.meta.url);
const { runCli } = await import(existsSync(source) ? source.href : bundle.href);
process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => new Date(),
});
