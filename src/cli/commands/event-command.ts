import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import { importEvents } from '../../app/import-events.ts';
import { recordEvents, type RecordEventsResult } from '../../app/record-events.ts';
import { CandorError } from '../../core/candor-error.ts';
import { deliveryEventTypes } from '../../core/delivery-event.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';

type EventOptions = {
  service: string;
  occurredAt?: string;
  environment?: string;
  commit?: string;
  commits?: string;
  deployment?: string;
  incident?: string;
  result?: 'success' | 'failure';
  attribute: string[];
  id?: string;
  source?: string;
  db?: string;
  json?: boolean;
};

function report(
  context: CliContext,
  result: RecordEventsResult,
  json: boolean | undefined,
): number {
  if (json) {
    context.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    for (const error of result.errors.slice(0, 50)) context.stderr.write(`✗ ${error.message}\n`);
    if (result.errors.length > 50)
      context.stderr.write(`… and ${result.errors.length - 50} more problems\n`);
    context.stdout.write(
      `${result.stored} event(s) stored, ${result.duplicates} already stored, ${result.errors.length} problem(s)\n`,
    );
  }
  return result.errors.length > 0 ? exitCodes.rejected : exitCodes.ok;
}

export function eventCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('event')
    .description('record one delivery event (idempotent on --source and --id)')
    .addArgument(new Command().createArgument('<type>', 'event type').choices(deliveryEventTypes))
    .requiredOption('--service <name>', 'the service')
    .option('--occurred-at <iso>', 'when it happened (default: now)')
    .option('--environment <name>', 'e.g. production, staging')
    .option('--commit <sha>', 'the commit')
    .option('--commits <shas>', 'comma-separated commits of the change')
    .option('--deployment <id>', 'the deployment id')
    .option('--incident <id>', 'the incident id')
    .addOption(new Option('--result <result>', 'outcome').choices(['success', 'failure']))
    .option('--attribute <key=value...>', 'extra attributes (repeatable)', [])
    .option('--id <id>', 'event id (default: a hash of the event)')
    .option('--source <source>', 'who sends it, e.g. github-actions/acme/shop (default: default)')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .option('--json', 'print JSON')
    .action(async (type: string, options: EventOptions) => {
      const attributes: Record<string, string> = {};
      for (const pair of options.attribute) {
        const at = pair.indexOf('=');
        if (at <= 0)
          throw new CandorError('usage', `--attribute: expected key=value, got "${pair}"`);
        attributes[pair.slice(0, at)] = pair.slice(at + 1);
      }
      const event = Object.fromEntries(
        Object.entries({
          type,
          id: options.id,
          source: options.source,
          occurredAt: options.occurredAt ?? context.now().toISOString(),
          service: options.service,
          environment: options.environment,
          commit: options.commit,
          commits: options.commits
            ?.split(',')
            .map((c) => c.trim())
            .filter(Boolean),
          deployment: options.deployment,
          incident: options.incident,
          result: options.result,
          attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
        }).filter(([, v]) => v !== undefined),
      );
      const result = await withStore(context, options.db, (store) =>
        recordEvents(store, [{ value: event }], {
          receivedAt: context.now().toISOString(),
          atomic: true,
        }),
      );
      if (result.errors.length > 0) {
        const first = result.errors[0];
        throw new CandorError(
          'usage',
          `--${first?.path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) ?? 'event'}: ${first?.message ?? 'invalid'}`,
        );
      }
      setExitCode(report(context, result, options.json));
    });
}

export function eventsCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  const events = new Command('events').description('the delivery event ledger');
  events
    .command('import')
    .description('import events from JSON lines (a file, or - for standard input)')
    .argument('<file>', 'a .jsonl file, or -')
    .option('--atomic', 'store nothing when any line is bad')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { atomic?: boolean; db?: string; json?: boolean }) => {
      let input: AsyncIterable<string | Buffer>;
      if (file === '-') {
        if (!context.stdin) throw new CandorError('usage', 'no standard input to read');
        input = context.stdin;
      } else {
        const stream = createReadStream(resolve(context.cwd, file));
        await new Promise<void>((done, fail) => {
          stream.once('open', () => done());
          stream.once('error', (error) =>
            fail(new CandorError('io', `cannot read ${file}: ${error.message}`, { cause: error })),
          );
        });
        input = stream;
      }
      const lines = createInterface({ input: input as NodeJS.ReadableStream, crlfDelay: Infinity });
      const result = await withStore(context, options.db, (store) =>
        importEvents(store, lines, {
          receivedAt: context.now().toISOString(),
          atomic: options.atomic === true,
        }),
      );
      setExitCode(report(context, result, options.json));
    });
  return events;
}
