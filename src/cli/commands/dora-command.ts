import { Command, Option } from 'commander';
import { z } from 'zod';
import {
  buildDoraReport,
  buildDoraSeries,
  type DoraSeries,
} from '../../app/delivery/build-dora-report.ts';
import { doraPeriods, type DoraPeriod } from '../../core/delivery/dora/split-periods.ts';
import { DoraQuery, DoraTrendQuery } from '../../contracts/queries.ts';
import type { DoraReport } from '../../core/delivery/dora/compute-dora.ts';
import { callServer, readServerJson } from '../call-server.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeDoraReport, describeDoraSeries } from '../documents/describe-dora.ts';
import { withStore } from '../open-cli-store.ts';
import {
  addDoraOptions,
  dbOption,
  jsonOption,
  markdownOption,
  parseOptions,
  queryOf,
  serverOption,
} from '../options.ts';
import { writeDocument } from '../write-document.ts';

/** `candor dora`: DORA and pipeline-quality metrics (README "candor dora", DEFINITIONS.md). */
export const doraCommand: CommandFactory = (context, setExitCode) =>
  addDoraOptions(
    new Command('dora').description(
      'DORA metrics and pipeline quality from the event ledger (definitions: DEFINITIONS.md)',
    ),
  )
    .addOption(dbOption())
    .addOption(serverOption())
    .addOption(jsonOption())
    .addOption(markdownOption())
    .addOption(
      new Option('--by <period>', 'also the trend: the numbers per calendar week or month').choices(
        doraPeriods,
      ),
    )
    .action(
      async (options: {
        db?: string;
        server?: string;
        json?: boolean;
        markdown?: boolean;
        by?: DoraPeriod;
      }) => {
        const query = parseOptions(DoraQuery, options);
        const { server, by } = options;
        // The server is a candor: its JSON is the report's or the series' (app/delivery).
        const served = async (url: string) =>
          readServerJson(
            await callServer(context, url, {
              method: 'GET',
              path: '/api/v1/dora',
              query: queryOf(DoraTrendQuery, options),
            }),
            z.looseObject({}),
          );
        if (by !== undefined) {
          const series =
            server === undefined
              ? await withStore(context, options.db, (store) =>
                  buildDoraSeries(store, { ...query, now: context.now(), by }),
                )
              : ((await served(server)) as DoraSeries);
          if (options.json) context.stdout.write(`${JSON.stringify(series)}\n`);
          else writeDocument(context.stdout, describeDoraSeries(series), options);
          setExitCode(exitCodes.ok);
          return;
        }
        const report =
          server === undefined
            ? await withStore(context, options.db, (store) =>
                buildDoraReport(store, { ...query, now: context.now() }),
              )
            : ((await served(server)) as DoraReport);
        if (options.json) context.stdout.write(`${JSON.stringify(report)}\n`);
        else writeDocument(context.stdout, describeDoraReport(report), options);
        setExitCode(exitCodes.ok);
      },
    );
