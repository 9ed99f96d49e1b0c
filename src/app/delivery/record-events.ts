import { hash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Kysely, Transaction } from 'kysely';
import {
  defaultEventSource,
  type DeliveryEvent,
  type EventProblem,
} from '../../core/delivery/delivery-event.ts';
import { parseEventInput } from '../../readers/events/event-readers.ts';
import {
  findDeliveryEventsByKey,
  insertDeliveryEvents,
} from '../../store/repositories/delivery/delivery-event.repository.ts';
import { retryWrites, type Store } from '../../store/open-store.ts';
import type { Database, DeliveryEventTable } from '../../store/schema.ts';

/**
 * An event's id when it has none: a hash of its whole content with object keys sorted at every
 * level, so sending it again is idempotent and two events that differ anywhere (attributes
 * included) never share an id. Events without attributes keep the ids earlier versions gave them.
 */
export function deriveEventId(event: DeliveryEvent): string {
  return `sha256:${hash('sha256', canonicalJson(event), 'hex').slice(0, 32)}`;
}

/** JSON with object keys sorted at every level (attributes are at most 8 levels deep). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function toEventRow(event: DeliveryEvent, receivedAt: string): DeliveryEventTable {
  return {
    source: event.source ?? defaultEventSource,
    id: event.id ?? deriveEventId(event),
    type: event.type,
    occurred_at: new Date(event.occurredAt).toISOString(),
    received_at: receivedAt,
    service: event.service,
    environment: event.environment ?? null,
    commit_sha: event.commit ?? null,
    commits: event.commits === undefined ? null : JSON.stringify(event.commits),
    deployment: event.deployment ?? null,
    incident: event.incident ?? null,
    result: event.result ?? null,
    attributes: event.attributes === undefined ? null : JSON.stringify(event.attributes),
  };
}

/**
 * An event whose (source, id) was already stored, or came earlier in the same input, with other
 * content. The first write wins; this says what was not stored.
 */
export type EventConflict = {
  index: number;
  line?: number;
  source: string;
  id: string;
  /** The event fields whose values differ from the kept event, e.g. `occurredAt`, `service`. */
  fields: string[];
  message: string;
};

export type RecordEventsResult = {
  /** Valid events seen. */
  accepted: number;
  /** Of those, new to the ledger (the rest were already stored: same source and id). */
  stored: number;
  /** Valid events not stored because their (source, id) was already there (conflicts included). */
  duplicates: number;
  /** Of the duplicates, those whose content differs from the kept event. */
  conflicts: EventConflict[];
  errors: (EventProblem & { index: number; line?: number })[];
};

/** A valid event about to be written, with where it came from. */
export type PendingEvent = { row: DeliveryEventTable; index: number; line?: number };

type Db = Kysely<Database> | Transaction<Database>;

const comparedFields = [
  ['type', 'type'],
  ['occurred_at', 'occurredAt'],
  ['service', 'service'],
  ['environment', 'environment'],
  ['commit_sha', 'commit'],
  ['commits', 'commits'],
  ['deployment', 'deployment'],
  ['incident', 'incident'],
  ['result', 'result'],
  ['attributes', 'attributes'],
] as const satisfies readonly (readonly [keyof DeliveryEventTable, string])[];

/** The event fields in which two rows of one key differ (received time aside). */
function differingFields(kept: DeliveryEventTable, other: DeliveryEventTable): string[] {
  return comparedFields
    .filter(([column]) => {
      const a = kept[column];
      const b = other[column];
      if (a === b) return false;
      // JSON columns: the same value with keys in another order is the same content.
      if ((column === 'attributes' || column === 'commits') && a !== null && b !== null) {
        return !isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
      }
      return true;
    })
    .map(([, field]) => field);
}

const keyOf = (row: { source: string; id: string }) => `${row.source}\0${row.id}`;

/**
 * Writes valid events: inserts the first of each (source, id) unless stored already, then compares
 * every other one with the kept row (the stored one, else the first in `pending`) and reports
 * those with different content. Only the events that were not new are read back. Throws CandorError
 * `database` only through the store.
 */
export async function writeEvents(
  db: Db,
  pending: readonly PendingEvent[],
): Promise<{ stored: number; conflicts: EventConflict[] }> {
  const keys = pending.map(({ row }) => keyOf(row));
  const firsts = new Map<string, DeliveryEventTable>();
  pending.forEach(({ row }, i) => {
    const key = keys[i] as string;
    if (!firsts.has(key)) firsts.set(key, row);
  });
  const inserted = new Set((await insertDeliveryEvents(db, [...firsts.values()])).map(keyOf));
  // Every event new and none repeated: nothing to compare.
  if (inserted.size === pending.length) return { stored: inserted.size, conflicts: [] };
  const kept = new Map(firsts);
  const known = [...firsts].filter(([key]) => !inserted.has(key)).map(([, row]) => row);
  for (const row of await findDeliveryEventsByKey(db, known)) kept.set(keyOf(row), row);
  const conflicts: EventConflict[] = [];
  pending.forEach(({ row, index, line }, i) => {
    const winner = kept.get(keys[i] as string);
    if (winner === undefined || winner === row) return;
    const fields = differingFields(winner, row);
    if (fields.length === 0) return;
    conflicts.push({
      index,
      ...(line !== undefined ? { line } : {}),
      source: row.source,
      id: row.id,
      fields,
      message: `source "${row.source}" id "${row.id}" is already stored with a different ${fields.join(', ')}; the stored event is kept`,
    });
  });
  return { stored: inserted.size, conflicts };
}

/**
 * Validates and stores events. With `atomic`, nothing is stored when any event is invalid;
 * otherwise valid events are stored and invalid ones reported with their index (and line).
 * Idempotent on (source, id), first write wins; a repeat with other content is stored as a
 * duplicate and listed in `conflicts`. Throws CandorError `database` only through the store.
 */
export async function recordEvents(
  store: Store,
  items: readonly { value: unknown; line?: number }[],
  options: { receivedAt: string; atomic: boolean },
): Promise<RecordEventsResult> {
  const pending: PendingEvent[] = [];
  const errors: RecordEventsResult['errors'] = [];
  items.forEach((item, index) => {
    const line = item.line !== undefined ? { line: item.line } : {};
    const parsed = parseEventInput(item.value, { receivedAt: options.receivedAt });
    if (parsed.ok)
      pending.push({ row: toEventRow(parsed.value, options.receivedAt), index, ...line });
    else errors.push(...parsed.errors.map((e) => ({ ...e, index, ...line })));
  });
  if (options.atomic && errors.length > 0) {
    return { accepted: 0, stored: 0, duplicates: 0, conflicts: [], errors };
  }
  const { stored, conflicts } =
    pending.length === 0
      ? { stored: 0, conflicts: [] }
      : await retryWrites(store, () =>
          store.db.transaction().execute((trx) => writeEvents(trx, pending)),
        );
  return {
    accepted: pending.length,
    stored,
    duplicates: pending.length - stored,
    conflicts,
    errors,
  };
}
