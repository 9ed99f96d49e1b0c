import { Command } from 'commander';
import { buildDoraReport } from '../../app/delivery/build-dora-report.ts';
import { DoraQuery } from '../../contracts/queries.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeDoraReport } from '../documents/describe-dora.ts';
import { withStore } from '../open-cli-store.ts';
import { addDoraOptions, dbOption, jsonOption, markdownOption, parseOptions } from '../options.ts';
import { writeDocument } from '../write-document.ts';

/** `candor dora`: DORA and pipeline-quality metrics (README "candor dora", DEFINITIONS.md). */
export const doraCommand: CommandFactory = (context, setExitCode) =>
  addDoraOptions(
    new Command('dora').description(
      'DORA metrics and pipeline quality from the event ledger (definitions: DEFINITIONS.md)',
    ),
  )
    .addOption(dbOption())
    .addOption(jsonOption())
    .addOption(markdownOption())
    .action(async (options: { db?: string; json?: boolean; markdown?: boolean }) => {
      const query = parseOptions(DoraQuery, options);
      const report = await withStore(context, options.db, (store) =>
        buildDoraReport(store, { ...query, now: context.now() }),
      );
      if (options.json) context.stdout.write(`${JSON.stringify(report)}\n`);
      else writeDocument(context.stdout, describeDoraReport(report), options);
      setExitCode(exitCodes.ok);
    });
