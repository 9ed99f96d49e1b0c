import { Command } from 'commander';
import { z } from 'zod';
import { buildCiHealth, type CiHealthReport } from '../../app/ci-health/build-ci-health.ts';
import { ciHealthQueryDefaults, CiHealthQuery } from '../../contracts/queries.ts';
import { callServer, readServerJson } from '../call-server.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeCiHealth } from '../documents/describe-ci-health.ts';
import { withStore } from '../open-cli-store.ts';
import {
  dbOption,
  jsonOption,
  markdownOption,
  parseOptions,
  queryOf,
  serverOption,
} from '../options.ts';
import { writeDocument } from '../write-document.ts';

/**
 * `candor ci-health`: how long a branch stayed red, the time lost to retries and the stage
 * latency per week (README "candor ci-health", DEFINITIONS.md "CI health"). Exit 0, 2 usage.
 */
export const ciHealthCommand: CommandFactory = (context, setExitCode) =>
  new Command('ci-health')
    .description(
      'how long the branch stayed red, time lost to retries, pipeline stage latency per week',
    )
    .option('--branch <name>', 'the branch whose runs count', ciHealthQueryDefaults.branch)
    .option(
      '--since <window|date>',
      'runs started in this window back from now (30d) or since this date',
      ciHealthQueryDefaults.since,
    )
    .option('--repo <name>', 'one repository')
    .option('--service <name>', 'stage latency of one service (default: every service)')
    .option('--env <name>', 'the environment of the deploy stages', ciHealthQueryDefaults.env)
    .option(
      '--worst <n>',
      'how many of the worst red episodes to list',
      ciHealthQueryDefaults.worst,
    )
    .addOption(dbOption())
    .addOption(serverOption())
    .addOption(jsonOption())
    .addOption(markdownOption())
    .action(
      async (options: {
        db?: string;
        server?: string;
        json?: boolean;
        markdown?: boolean;
        [flag: string]: unknown;
      }) => {
        const query = parseOptions(CiHealthQuery, options);
        const report =
          options.server === undefined
            ? await withStore(context, options.db, (store) =>
                buildCiHealth(store, { ...query, now: context.now() }),
              )
            : // The server is a candor: its JSON is the report's (app/ci-health/build-ci-health.ts).
              ((await readServerJson(
                await callServer(context, options.server, {
                  method: 'GET',
                  path: '/api/v1/ci-health',
                  query: queryOf(CiHealthQuery, options),
                }),
                z.looseObject({}),
              )) as CiHealthReport);
        if (options.json) context.stdout.write(`${JSON.stringify(report)}\n`);
        else writeDocument(context.stdout, describeCiHealth(report), options);
        setExitCode(exitCodes.ok);
      },
    );
