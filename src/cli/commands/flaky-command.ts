import { Command } from 'commander';
import { z } from 'zod';
import {
  analysisOfReport,
  analyzeFlakyTests,
  streamFlakyReportJson,
  type FlakyReport,
} from '../../app/flaky/build-flaky-report.ts';
import type { FlakeBudget } from '../../core/flaky/flake-budget.ts';
import { callServer, pipeServerBody, readServerJson } from '../call-server.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeFlakeBudget, describeFlakyReport } from '../documents/describe-flaky.ts';
import { withStore } from '../open-cli-store.ts';
import { addFlakyAnalysisOptions, flakyQueryOf, flakyServerRead } from '../options.ts';
import { writeDocument } from '../write-document.ts';

type FlakyOptions = {
  db?: string;
  server?: string;
  json?: boolean;
  markdown?: boolean;
  defaultBranch?: string;
};

/** `{ window, ...budget }`, as `candor flaky budget --json` prints it (the server sends it). */
const BudgetJson = z.looseObject({
  window: z.object({ from: z.string(), to: z.string() }),
  overBudget: z.boolean(),
});

/** `candor flaky` and `candor flaky budget` (README "candor flaky", "candor flaky budget"). */
export const flakyCommand: CommandFactory = (context, setExitCode) => {
  const flaky = addFlakyAnalysisOptions(
    new Command('flaky')
      .description('classify every test of the window: flaky, broken, healthy or insufficient-data')
      .enablePositionalOptions(),
  ).action(async (options: FlakyOptions) => {
    if (options.server !== undefined) {
      const response = await callServer(
        context,
        options.server,
        flakyServerRead(context, options, '/api/v1/flaky'),
      );
      if (options.json) await pipeServerBody(response, context.stdout);
      else {
        // The server is a candor: its JSON is the report's (app/flaky/build-flaky-report.ts).
        const report = (await readServerJson(response, z.looseObject({}))) as FlakyReport;
        writeDocument(context.stdout, describeFlakyReport(analysisOfReport(report)), options);
      }
      setExitCode(exitCodes.ok);
      return;
    }
    const query = flakyQueryOf(context, options);
    await withStore(context, options.db, async (store) => {
      // --json lists every test: keep the long tail of a normal window from the first pass.
      const analysis = await analyzeFlakyTests(store, query, { keepRest: options.json === true });
      if (options.json)
        for await (const text of streamFlakyReportJson(store, query, analysis))
          context.stdout.write(text);
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
      let json: { window: { from: string; to: string } } & FlakeBudget;
      if (options.server !== undefined) {
        const response = await callServer(
          context,
          options.server,
          flakyServerRead(context, options, '/api/v1/flaky/budget'),
        );
        json = (await readServerJson(response, BudgetJson)) as typeof json;
      } else {
        const query = flakyQueryOf(context, options);
        const report = await withStore(context, options.db, (store) =>
          analyzeFlakyTests(store, query),
        );
        json = { window: report.window, ...report.budget };
      }
      if (options.json) context.stdout.write(`${JSON.stringify(json)}\n`);
      else writeDocument(context.stdout, describeFlakeBudget({ budget: json }), options);
      setExitCode(json.overBudget ? exitCodes.rejected : exitCodes.ok);
    }),
  );
  return flaky;
};
