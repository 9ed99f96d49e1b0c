import { Command, Option } from 'commander';
import { z } from 'zod';
import { buildDoraReport, buildDoraSeries } from '../../app/delivery/build-dora-report.ts';
import { doraPeriods, type DoraPeriod } from '../../core/delivery/dora/split-periods.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { DoraQuery } from '../../contracts/queries.ts';
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
        if (by !== undefined) {
          if (server !== undefined)
            throw new CandorError(
              'usage',
              '--by reads the database: it is not served yet, drop --server',
            );
          const series = await withStore(context, options.db, (store) =>
            buildDoraSeries(store, { ...query, now: context.now(), by }),
          );
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
            : // The server is a candor: its JSON is the report's (app/delivery/build-dora-report.ts).
              ((await readServerJson(
                await callServer(context, server, {
                  method: 'GET',
                  path: '/api/v1/dora',
                  query: queryOf(DoraQuery, options),
                }),
                z.looseObject({}),
              )) as DoraReport);
        if (options.json) context.stdout.write(`${JSON.stringify(report)}\n`);
        else writeDocument(context.stdout, describeDoraReport(report), options);
        setExitCode(exitCodes.ok);
      },
    );
