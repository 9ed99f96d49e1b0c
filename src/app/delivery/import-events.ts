import { listEventWarnings } from '../../core/delivery/list-event-warnings.ts';
import { parseEventInput } from '../../readers/events/event-readers.ts';
import { retryWrites, type Store, type StoreTransaction } from '../../store/open-store.ts';
import {
  toStoredEvent,
  writeEvents,
  type PendingEvent,
  type RecordEventsResult,
} from './record-events.ts';
import { splitLines } from './split-lines.ts';

/**
 * Bounds of `candor events import` (README "Limits"): a line longer than `maxLineBytes` (4 MiB,
 * above the largest valid event) is reported and skipped; valid events are written in chunks of
 * `chunkSize`, each in its own transaction unless the import is atomic.
 */
export const importLimits = { maxLineBytes: 4 * 1024 * 1024, chunkSize: 2_000 } as const;

/** `4 MiB`, `64 KiB` or `150 bytes`. */
export function formatByteLimit(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Imports JSON lines (one event per line; blank lines skipped) from a byte stream, pulling input
 * only as it is consumed. A bad line (invalid JSON with its column, an invalid event naming the
 * field, not UTF-8, or longer than `maxLineBytes`) is reported with its line number and the good
 * lines are stored, each chunk in its own transaction. With `atomic`, nothing is stored if any
 * line is bad: one transaction, opened only when the first chunk is ready and rolled back at the
 * first bad line (the rest is still read, to report every problem). Repeats of a (source, id) with
 * other content are listed in `conflicts`, as in recordEvents. No transaction is left open when
 * the input throws: the error is rethrown after the rollback. Throws what the input throws, and
 * CandorError `database` through the store.
 */
export async function importEvents(
  store: Store,
  input: AsyncIterable<Uint8Array | string>,
  options: { receivedAt: string; atomic: boolean; maxLineBytes?: number },
): Promise<RecordEventsResult> {
  const maxLineBytes = options.maxLineBytes ?? importLimits.maxLineBytes;
  const result: RecordEventsResult = {
    accepted: 0,
    ignored: 0,
    stored: 0,
    duplicates: 0,
    conflicts: [],
    errors: [],
    warnings: [],
  };
  let pending: PendingEvent[] = [];
  let transaction: StoreTransaction | undefined;

  const rollback = async (): Promise<void> => {
    const open = transaction;
    transaction = undefined;
    await open?.rollback().execute();
  };
  const problem = async (
    line: number,
    message: string,
    where: { path?: string; column?: number } = {},
  ): Promise<void> => {
    const at = where.column === undefined ? `line ${line}` : `line ${line}:${where.column}`;
    result.errors.push({
      index: line - 1,
      line,
      path: where.path ?? '',
      message: `${at}: ${message}`,
    });
    if (options.atomic) {
      pending = [];
      await rollback();
    }
  };
  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    let written: Awaited<ReturnType<typeof writeEvents>>;
    if (options.atomic) {
      // On SQLite the write lock is taken here (BEGIN IMMEDIATE): wait for other writers.
      transaction ??= await retryWrites(store, () => store.db.startTransaction().execute());
      written = await writeEvents(store, transaction, batch);
    } else {
      written = await retryWrites(store, () =>
        store.db.transaction().execute((trx) => writeEvents(store, trx, batch)),
      );
    }
    result.accepted += batch.length;
    result.stored += written.stored;
    result.duplicates += batch.length - written.stored;
    for (const conflict of written.conflicts) {
      result.conflicts.push({ ...conflict, message: `line ${conflict.line}: ${conflict.message}` });
    }
  };

  try {
    for await (const line of splitLines(input, { maxLineBytes })) {
      if (line.kind === 'too-long') {
        await problem(
          line.number,
          `${line.bytes} bytes, longer than the limit of ${formatByteLimit(maxLineBytes)}; skipped`,
        );
        continue;
      }
      if (line.kind === 'invalid-utf8') {
        await problem(line.number, 'not valid UTF-8');
        continue;
      }
      if (line.text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line.text);
      } catch (error) {
        const position = /position (\d+)/.exec((error as Error).message);
        await problem(line.number, 'invalid JSON', {
          ...(position ? { column: Number(position[1]) + 1 } : {}),
        });
        continue;
      }
      const parsed = parseEventInput(value, { receivedAt: options.receivedAt });
      if (!parsed.ok) {
        for (const e of parsed.errors) await problem(line.number, e.message, { path: e.path });
        continue;
      }
      if (parsed.value.length === 0) result.ignored += 1;
      for (const event of parsed.value)
        for (const w of listEventWarnings(event))
          result.warnings.push({
            ...w,
            index: line.number - 1,
            line: line.number,
            message: `line ${line.number}: ${w.message}`,
          });
      // Once an atomic import has a bad line, the rest is only validated.
      if (options.atomic && result.errors.length > 0) continue;
      for (const event of parsed.value) {
        pending.push({
          event: toStoredEvent(event, options.receivedAt),
          index: line.number - 1,
          line: line.number,
        });
      }
      if (pending.length >= importLimits.chunkSize) await flush();
    }
    await flush();
    const open = transaction;
    transaction = undefined;
    await open?.commit().execute();
  } catch (error) {
    try {
      await rollback();
    } catch {
      // The first failure is the one to report; the connection is released either way.
    }
    throw error;
  }
  if (options.atomic && result.errors.length > 0) {
    return {
      accepted: 0,
      ignored: 0,
      stored: 0,
      duplicates: 0,
      conflicts: [],
      errors: result.errors,
      warnings: [],
    };
  }
  return result;
}
