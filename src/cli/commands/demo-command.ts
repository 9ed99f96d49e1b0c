import { Command } from 'commander';
import { maxDemoRuns, runDemo } from '../../app/demo/run-demo.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeDemo } from '../documents/describe-demo.ts';
import { dbOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

/** `candor demo`: a generated week of CI, shown step by step (README "candor demo"). */
export const demoCommand: CommandFactory = (context, setExitCode) =>
  new Command('demo')
    .description('ingest a generated week of CI into a throwaway database and show what candor saw')
    .addOption(dbOption('database to fill instead of a throwaway SQLite file'))
    .option('--runs <n>', `CI runs to generate, 1 to ${maxDemoRuns}`, '14')
    .action(async (options: { db?: string; runs: string }) => {
      const runs = Number(options.runs);
      if (!/^\d+$/.test(options.runs.trim()) || runs < 1 || runs > maxDemoRuns) {
        throw new CandorError(
          'usage',
          `--runs: expected a whole number from 1 to ${maxDemoRuns}, got "${options.runs}"`,
        );
      }
      const demo = await runDemo({ db: options.db, cwd: context.cwd, now: context.now(), runs });
      writeDocument(context.stdout, describeDemo(demo, options.db));
      setExitCode(exitCodes.ok);
    });
