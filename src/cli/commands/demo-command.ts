import { Command } from 'commander';
import { runDemo } from '../../app/demo/run-demo.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeDemo } from '../documents/describe-demo.ts';
import { dbOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

/** `candor demo`: a generated week of CI, shown step by step (README "candor demo"). */
export const demoCommand: CommandFactory = (context, setExitCode) =>
  new Command('demo')
    .description('ingest a generated week of CI into a throwaway database and show what candor saw')
    .addOption(dbOption('database to fill instead of a throwaway SQLite file'))
    .option('--runs <n>', 'CI runs to generate', '14')
    .action(async (options: { db?: string; runs: string }) => {
      const demo = await runDemo({
        db: options.db,
        cwd: context.cwd,
        now: context.now(),
        runs: Number(options.runs) || 14,
      });
      writeDocument(context.stdout, describeDemo(demo));
      setExitCode(exitCodes.ok);
    });
