import type { CommandFactory } from '../cli-context.ts';
import { affectedCommand } from './affected-command.ts';
import { canaryCommand } from './canary-command.ts';
import { chaosCommand } from './chaos-command.ts';
import { ciHealthCommand } from './ci-health-command.ts';
import { configCommand } from './config-command.ts';
import { dbCommand } from './db-command.ts';
import { demoCommand } from './demo-command.ts';
import { doraCommand } from './dora-command.ts';
import { eventCommand, eventsCommand } from './event-command.ts';
import { flakyCommand } from './flaky-command.ts';
import { gateCommand } from './gate-command.ts';
import { ingestCommand } from './ingest-command.ts';
import { initCommand } from './init-command.ts';
import { kevCommand } from './kev-command.ts';
import { quarantineCommand } from './quarantine-command.ts';
import { releaseCommand } from './release-command.ts';
import { reportCommand } from './report-command.ts';
import { rollbackCommand } from './rollback-command.ts';
import { runsCommand } from './runs-command.ts';
import { serveCommand } from './serve-command.ts';
import { splitCommand } from './split-command.ts';
import { testsCommand } from './tests-command.ts';
import { tokenCommand } from './token-command.ts';
import { verdictCommand } from './verdict-command.ts';
import { watchCommand } from './watch-command.ts';

/**
 * Every command of `candor`, in the order `--help` lists them. Adding a command is one file in
 * this folder and one line here and in command-loaders.ts (which the CLI runs from, importing
 * only the command that runs; commands.test.ts checks the two agree); a command never imports
 * another (what two share lives in src/app, src/cli/options.ts or src/cli/documents).
 */
export const commands: readonly CommandFactory[] = [
  ingestCommand,
  runsCommand,
  testsCommand,
  flakyCommand,
  splitCommand,
  quarantineCommand,
  verdictCommand,
  eventCommand,
  eventsCommand,
  doraCommand,
  reportCommand,
  rollbackCommand,
  releaseCommand,
  watchCommand,
  demoCommand,
  serveCommand,
  tokenCommand,
  configCommand,
  dbCommand,
  canaryCommand,

  gateCommand,
  kevCommand,
  chaosCommand,
  initCommand,
  affectedCommand,
  ciHealthCommand,
];
