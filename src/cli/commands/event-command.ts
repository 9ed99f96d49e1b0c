import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { importEvents, importLimits } from '../../app/delivery/import-events.ts';
import { recordEvents, type RecordEventsResult } from '../../app/delivery/record-events.ts';
import { ciEventId } from '../../app/delivery/ci-event-id.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { deliveryEventTypes } from '../../core/delivery/event-kinds.ts';
import { exitCodes, type CliContext, type CommandFactory } from '../cli-context.ts';
import {
  describeEventProblems,
  describeRecordedEvents,
} from '../documents/describe-recorded-events.ts';
import { withStore } from '../open-cli-store.ts';
import { dbOption, jsonOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';
import { messageOf } from '../../core/lib/message-of.ts';

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

/**
 * Prints the outcome. Exit 1 when a line or event was refused; conflicts (a known (source, id)
 * with other content; the stored event is kept) are warnings and leave the exit code alone, since
 * re-running a CI step that sends events must not fail it.
 */
function report(
  context: CliContext,
  result: RecordEventsResult,
  json: boolean | undefined,
): number {
  writeDocument(context.stderr, describeEventProblems(result, json === true));
  if (json) context.stdout.write(`${JSON.stringify(result)}\n`);
  else writeDocument(context.stdout, describeRecordedEvents(result));
  return result.errors.length > 0 ? exitCodes.rejected : exitCodes.ok;
}

/** Flag names for event fields, for messages about `candor event`. */
function flagOf(path: string | undefined): string {
  const field = path?.replace(/[.[].*$/, '') || 'event';
  if (field === 'attributes') return '--attribute';
  return `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Opens the file to import before any database work, so a missing file or a directory is an `io`
 * error naming it. Throws CandorError `io`.
 */
async function openInputFile(path: string, display: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new CandorError('io', `cannot read ${display}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const stats = await handle.stat();
  if (!stats.isFile() && !stats.isFIFO() && !stats.isCharacterDevice()) {
    await handle.close();
    throw new CandorError(
      'io',
      `cannot read ${display}: ${stats.isDirectory() ? 'it is a directory' : 'not a regular file'}; expected a .jsonl file or - for standard input`,
    );
  }
  return handle;
}

/**
 * The file's bytes, one read per pull, into one reused buffer (splitLines copies what it keeps);
 * the caller closes the file.
 */
async function* readChunks(handle: FileHandle, display: string): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.allocUnsafe(256 * 1024);
  for (;;) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
    } catch (error) {
      throw new CandorError('io', `reading ${display} failed: ${messageOf(error)}`, {
        cause: error,
      });
    }
    if (bytesRead === 0) return;
    yield buffer.subarray(0, bytesRead);
  }
}

/** Standard input, pulled as consumed; a read error becomes CandorError `io`. */
async function* readStdinChunks(
  stdin: AsyncIterable<string | Buffer>,
): AsyncGenerator<string | Buffer> {
  const iterator = stdin[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<string | Buffer>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw new CandorError('io', `reading standard input failed: ${messageOf(error)}`, {
        cause: error,
      });
    }
    if (next.done === true) return;
    yield next.value;
  }
}

/** `candor event <type>`: records one delivery event (README "candor event"). */
export const eventCommand: CommandFactory = (context, setExitCode) =>
  new Command('event')
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
    .option(
      '--id <id>',
      'event id (default in CI: derived from the run, the job and the event; else a hash of the event)',
    )
    .option('--source <source>', 'who sends it, e.g. github-actions/acme/shop (default: default)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (type: string, options: EventOptions) => {
      const attributes: Record<string, string> = {};
      for (const pair of options.attribute) {
        const at = pair.indexOf('=');
        if (at <= 0)
          throw new CandorError('usage', `--attribute: expected key=value, got "${pair}"`);
        attributes[pair.slice(0, at)] = pair.slice(at + 1);
      }
      // In CI, an event without --id gets one from the run, the job and what it says, so a
      // retried step does not record it twice (README "candor event").
      const id =
        options.id ??
        ciEventId(
          {
            type,
            service: options.service,
            environment: options.environment,
            commit: options.commit,
            deployment: options.deployment,
            incident: options.incident,
            result: options.result,
          },
          context.env,
        );
      const event = Object.fromEntries(
        Object.entries({
          type,
          id,
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
        throw new CandorError('usage', `${flagOf(first?.path)}: ${first?.message ?? 'invalid'}`);
      }
      setExitCode(report(context, result, options.json));
    });

/** `candor events import <file | ->`: imports JSON lines (README "candor event"). */
export const eventsCommand: CommandFactory = (context, setExitCode) => {
  const events = new Command('events').description('the delivery event ledger');
  events
    .command('import')
    .description(
      `import events from JSON lines (a file, or - for standard input); lines over ${importLimits.maxLineBytes / 1024 / 1024} MiB are refused`,
    )
    .argument('<file>', 'a .jsonl file, or -')
    .option('--atomic', 'store nothing when any line is bad')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (file: string, options: { atomic?: boolean; db?: string; json?: boolean }) => {
      let input: AsyncIterable<Uint8Array | string>;
      let handle: FileHandle | undefined;
      if (file === '-') {
        if (!context.stdin) throw new CandorError('usage', 'no standard input to read');
        input = readStdinChunks(context.stdin);
      } else {
        handle = await openInputFile(resolve(context.cwd, file), file);
        input = readChunks(handle, file);
      }
      let result: RecordEventsResult;
      try {
        result = await withStore(context, options.db, (store) =>
          importEvents(store, input, {
            receivedAt: context.now().toISOString(),
            atomic: options.atomic === true,
          }),
        );
      } finally {
        await handle?.close();
      }
      setExitCode(report(context, result, options.json));
    });
  return events;
};
