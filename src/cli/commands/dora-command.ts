import { Command } from 'commander';
import { z } from 'zod';
import { buildDoraReport } from '../../app/delivery/build-dora-report.ts';
import { DoraQuery } from '../../contracts/queries.ts';
import type { DoraReport } from '../../core/delivery/dora/compute-dora.ts';
import { callServer, readServerJson } from '../call-server.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeDoraReport } from '../documents/describe-dora.ts';
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
    .action(
      async (options: { db?: string; server?: string; json?: boolean; markdown?: boolean }) => {
        const query = parseOptions(DoraQuery, options);
        const { server } = options;
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
