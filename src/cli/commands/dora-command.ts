import { Command, Option } from 'commander';
import { buildDoraReport, buildDoraSeries } from '../../app/delivery/build-dora-report.ts';
import { doraPeriods, type DoraPeriod } from '../../core/delivery/dora/split-periods.ts';
import { DoraQuery } from '../../contracts/queries.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeDoraReport, describeDoraSeries } from '../documents/describe-dora.ts';
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
    .addOption(
      new Option('--by <period>', 'also the trend: the numbers per calendar week or month').choices(
        doraPeriods,
      ),
    )
    .action(
      async (options: { db?: string; json?: boolean; markdown?: boolean; by?: DoraPeriod }) => {
        const query = { ...parseOptions(DoraQuery, options), now: context.now() };
        const { by } = options;
        if (by === undefined) {
          const report = await withStore(context, options.db, (store) =>
            buildDoraReport(store, query),
          );
          if (options.json) context.stdout.write(`${JSON.stringify(report)}\n`);
          else writeDocument(context.stdout, describeDoraReport(report), options);
        } else {
          const series = await withStore(context, options.db, (store) =>
            buildDoraSeries(store, { ...query, by }),
          );
          if (options.json) context.stdout.write(`${JSON.stringify(series)}\n`);
          else writeDocument(context.stdout, describeDoraSeries(series), options);
        }
        setExitCode(exitCodes.ok);
      },
    );
