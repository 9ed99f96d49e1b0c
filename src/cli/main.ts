import { Command, CommanderError, Option } from 'commander';
import { isCandorError, type CandorErrorCode } from '../core/lib/candor-error.ts';
import { exitCodes, type CliContext, type CommandFactory } from './cli-context.ts';
import { commandLoaders } from './commands/command-loaders.ts';
import { messageOf } from '../core/lib/message-of.ts';

const exitCodeByError: Record<CandorErrorCode, number> = {
  usage: exitCodes.usage,
  'invalid-input': exitCodes.rejected,
  'not-found': exitCodes.rejected,
  unauthorized: exitCodes.operational,
  forbidden: exitCodes.operational,
  conflict: exitCodes.rejected,
  'payload-too-large': exitCodes.operational,
  'limit-exceeded': exitCodes.operational,
  database: exitCodes.operational,
  io: exitCodes.operational,
  internal: exitCodes.internal,
};

/**
 * The `candor` program with the given commands (the registry's, or the one about to run),
 * reporting errors and output through `context` (never exiting on its own). `runCli` runs it;
 * tests parse argv with it dry, passing every command of commands.ts.
 */
export function buildCliProgram(
  context: CliContext,
  setExitCode: (code: number) => void,
  commands: readonly CommandFactory[],
): Command {
  const program = new Command('candor')
    .description(
      'make a CI/CD pipeline tell the truth: test history, flaky tests, delivery metrics',
    )
    .version(CANDOR_VERSION)
    .option('--debug', 'print stack traces on errors')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)');
  for (const command of commands) program.addCommand(command(context, setExitCode));
  // Every (sub)command reports errors through this boundary instead of exiting on its own.
  const configure = (command: Command): void => {
    // --debug is global; accept it after a subcommand too (options are positional).
    if (command !== program && !command.options.some((o) => o.long === '--debug')) {
      command.addOption(new Option('--debug', 'print stack traces on errors').hideHelp());
    }
    command.exitOverride().configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/**
 * The commands `argv` needs, imported on demand (docs/adr/0040): none for `--version`, only the
 * named one when argv names a command, all of them otherwise (root help, a mistyped name: so
 * commander lists and suggests from the full registry).
 */
async function commandsFor(argv: readonly string[]): Promise<CommandFactory[]> {
  const first = argv.find((arg) => arg !== '--debug');
  if (first === '--version' || first === '-V') return [];
  const named = commandLoaders.find((loader) => loader.name === first);
  named?.prestart?.();
  const loaders = named === undefined ? commandLoaders : [named];
  return Promise.all(loaders.map((loader) => loader.load()));
}

/** The CLI's one error boundary: runs a command, maps failures to documented exit codes. */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const debug = argv.includes('--debug');
  try {
    const program = buildCliProgram(context, setExitCode, await commandsFor(argv));
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (isCandorError(error)) {
      context.stderr.write(`candor: ${error.message}\n`);
      if (debug && error.cause instanceof Error)
        context.stderr.write(`${error.cause.stack ?? ''}\n`);
      return exitCodeByError[error.code];
    }
    context.stderr.write(`candor: internal error (a bug; please report it): ${messageOf(error)}\n`);
    if (debug) context.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return exitCodes.internal;
  }
}

declare const CANDOR_VERSION_DEFINE: string | undefined;
/** Set by the bundler; from package.json when running the sources. */
const CANDOR_VERSION: string =
  typeof CANDOR_VERSION_DEFINE === 'string'
    ? CANDOR_VERSION_DEFINE
    : (process.env['npm_package_version'] ?? '0.1.0');

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    now: () => new Date(),
  });
  process.exitCode = code;
}
