import { Command } from 'commander';
import {
  analyzeFlakyTests,
  streamFlakyTests,
  type FlakyAnalysis,
  type FlakyTestEntry,
} from '../../app/flaky/build-flaky-report.ts';
import { exitCodes, type CliContext, type CommandFactory } from '../cli-context.ts';
import { describeFlakeBudget, describeFlakyReport } from '../documents/describe-flaky.ts';
import { withStore } from '../open-cli-store.ts';
import { addFlakyAnalysisOptions, flakyQueryOf } from '../options.ts';
import { writeDocument } from '../write-document.ts';

type FlakyOptions = { db?: string; json?: boolean; markdown?: boolean; defaultBranch?: string };

/**
 * Writes `candor flaky --json` test by test, so a history of millions of tests never has to fit
 * in memory as one string: the same JSON as `JSON.stringify(report)`.
 */
async function writeFlakyJson(
  context: CliContext,
  analysis: FlakyAnalysis,
  tests: AsyncIterable<FlakyTestEntry[]>,
): Promise<void> {
  context.stdout.write(`{"window":${JSON.stringify(analysis.window)},"tests":[`);
  let first = true;
  for await (const chunk of tests) {
    const text = chunk.map((test) => JSON.stringify(test)).join(',');
    context.stdout.write(first ? text : `,${text}`);
    first = false;
  }
  context.stdout.write(
    `],"budget":${JSON.stringify(analysis.budget)},"systemicRuns":${JSON.stringify(analysis.systemicRuns)}}\n`,
  );
}

/** `candor flaky` and `candor flaky budget` (README "candor flaky", "candor flaky budget"). */
export const flakyCommand: CommandFactory = (context, setExitCode) => {
  const flaky = addFlakyAnalysisOptions(
    new Command('flaky')
      .description('classify every test of the window: flaky, broken, healthy or insufficient-data')
      .enablePositionalOptions(),
  ).action(async (options: FlakyOptions) => {
    const query = flakyQueryOf(context, options);
    await withStore(context, options.db, async (store) => {
      // --json lists every test: keep the long tail of a normal window from the first pass.
      const analysis = await analyzeFlakyTests(store, query, { keepRest: options.json === true });
      if (options.json)
        await writeFlakyJson(context, analysis, streamFlakyTests(store, query, analysis));
      else writeDocument(context.stdout, describeFlakyReport(analysis), options);
    });
    setExitCode(exitCodes.ok);
  });
  flaky.addCommand(
    addFlakyAnalysisOptions(
      new Command('budget').description(
        'the flake budget: exit 1 when flaky executions exceed --max of all executions',
      ),
    ).action(async (options: FlakyOptions) => {
      const query = flakyQueryOf(context, options);
      const report = await withStore(context, options.db, (store) =>
        analyzeFlakyTests(store, query),
      );
      if (options.json)
        context.stdout.write(`${JSON.stringify({ window: report.window, ...report.budget })}\n`);
      else writeDocument(context.stdout, describeFlakeBudget(report), options);
      setExitCode(report.budget.overBudget ? exitCodes.rejected : exitCodes.ok);
    }),
  );
  return flaky;
};
