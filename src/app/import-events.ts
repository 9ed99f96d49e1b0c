import { parseEventInput } from '../core/delivery-event.ts';
import { insertDeliveryEvents } from '../store/delivery-event.repository.ts';
import type { Store } from '../store/open-store.ts';
import type { DeliveryEventTable } from '../store/schema.ts';
import { toEventRow, type RecordEventsResult } from './record-events.ts';

class AbortImport extends Error {}

const chunkSize = 2_000;

/**
 * Imports JSON lines (one event per line; blank lines skipped), streaming, in chunks. A bad line
 * is reported with its line number (and column for JSON syntax) and the good lines are stored;
 * with `atomic`, one transaction holds everything and nothing is stored if any line is bad.
 */
export async function importEvents(
  store: Store,
  lines: AsyncIterable<string>,
  options: { receivedAt: string; atomic: boolean },
): Promise<RecordEventsResult> {
  const result: RecordEventsResult = { accepted: 0, stored: 0, duplicates: 0, errors: [] };
  // Take the iterator now: readline drops lines emitted before anyone iterates, and opening a
  // PostgreSQL transaction first would let the whole input go by.
  const iterator = lines[Symbol.asyncIterator]();
  const input: AsyncIterable<string> = { [Symbol.asyncIterator]: () => iterator };
  const run = async (write: (rows: DeliveryEventTable[]) => Promise<number>): Promise<void> => {
    let pending: DeliveryEventTable[] = [];
    let lineNumber = 0;
    const flush = async () => {
      if (pending.length === 0 || (options.atomic && result.errors.length > 0)) return;
      const stored = await write(pending);
      result.accepted += pending.length;
      result.stored += stored;
      result.duplicates += pending.length - stored;
      pending = [];
    };
    for await (const line of input) {
      lineNumber++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        const position = /position (\d+)/.exec((error as Error).message);
        result.errors.push({
          index: lineNumber - 1,
          line: lineNumber,
          path: '',
          message: `line ${lineNumber}${position ? `:${Number(position[1]) + 1}` : ''}: invalid JSON`,
        });
        continue;
      }
      const parsed = parseEventInput(value);
      if (!parsed.ok) {
        result.errors.push(
          ...parsed.errors.map((e) => ({
            ...e,
            index: lineNumber - 1,
            line: lineNumber,
            message: `line ${lineNumber}: ${e.message}`,
          })),
        );
        continue;
      }
      pending.push(toEventRow(parsed.value, options.receivedAt));
      if (pending.length >= chunkSize) await flush();
    }
    await flush();
  };
  if (options.atomic) {
    try {
      await store.db.transaction().execute(async (trx) => {
        await run((rows) => insertDeliveryEvents(trx, rows));
        if (result.errors.length > 0) throw new AbortImport();
      });
    } catch (error) {
      if (!(error instanceof AbortImport)) throw error;
      return { accepted: 0, stored: 0, duplicates: 0, errors: result.errors };
    }
    return result;
  }
  await run((rows) => store.db.transaction().execute((trx) => insertDeliveryEvents(trx, rows)));
  return result;
}
