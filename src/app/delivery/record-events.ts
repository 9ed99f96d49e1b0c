import { hash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  defaultEventSource,
  type DeliveryEvent,
  type EventProblem,
} from '../../core/delivery/delivery-event.ts';
import { listEventWarnings, type EventWarning } from '../../core/delivery/list-event-warnings.ts';
import { parseEventInput } from '../../readers/events/event-readers.ts';
import {
  findDeliveryEventsByKey,
  insertDeliveryEvents,
  type StoredDeliveryEvent,
} from '../../store/repositories/delivery/delivery-event.repository.ts';
import { projectDeliveryEvents } from './project-delivery-events.ts';
import { retryWrites, type Db, type Store } from '../../store/open-store.ts';

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

/** The event as the ledger keeps it: the default source, or an id derived from its content. */
export function toStoredEvent(event: DeliveryEvent, receivedAt: string): StoredDeliveryEvent {
  return {
    ...event,
    source: event.source ?? defaultEventSource,
    id: event.id ?? deriveEventId(event),
    receivedAt,
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
  /**
   * Inputs of a kind candor does not record (a CDEvents type it does not map, a webhook event it
   * does not read), accepted and left out: never an error, so a sender is not refused.
   */
  ignored: number;
  /** Of those, new to the ledger (the rest were already stored: same source and id). */
  stored: number;
  /** Valid events not stored because their (source, id) was already there (conflicts included). */
  duplicates: number;
  /** Of the duplicates, those whose content differs from the kept event. */
  conflicts: EventConflict[];
  errors: (EventProblem & { index: number; line?: number })[];
  /** Valid events stored that count in no metric, or otherwise than they may seem, and why. */
  warnings: (EventWarning & { index: number; line?: number })[];
};

/** A valid event about to be written, with where it came from. */
export type PendingEvent = { event: StoredDeliveryEvent; index: number; line?: number };

/** The event fields compared between two events of one key, in the order conflicts name them. */
const comparedFields = [
  'type',
  'occurredAt',
  'service',
  'environment',
  'commit',
  'commits',
  'deployment',
  'incident',
  'result',
  'attributes',
] as const satisfies readonly (keyof StoredDeliveryEvent)[];

/** A JSON field's value as stored: what JSON keeps of it (null when absent). */
const asJson = (value: unknown): unknown =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);

/** The event fields in which two events of one key differ (received time aside). */
function differingFields(kept: StoredDeliveryEvent, other: StoredDeliveryEvent): string[] {
  return comparedFields.filter((field) => {
    switch (field) {
      // The same instant written with another offset is the same time.
      case 'occurredAt':
        return Date.parse(kept.occurredAt) !== Date.parse(other.occurredAt);
      // The same value with keys in another order is the same content.
      case 'commits':
      case 'attributes':
        return !isDeepStrictEqual(asJson(kept[field]), asJson(other[field]));
      default:
        return (kept[field] ?? null) !== (other[field] ?? null);
    }
  });
}

const keyOf = (event: { source: string; id: string }) => `${event.source}\0${event.id}`;

/**
 * Writes valid events: inserts the first of each (source, id) unless stored already, then compares
 * every other one with the kept row (the stored one, else the first in `pending`) and reports
 * those with different content. Only the events that were not new are read back. Throws CandorError
 * `database` only through the store.
 */
export async function writeEvents(
  store: Store,
  db: Db,
  pending: readonly PendingEvent[],
): Promise<{ stored: number; conflicts: EventConflict[] }> {
  const keys = pending.map(({ event }) => keyOf(event));
  const firsts = new Map<string, StoredDeliveryEvent>();
  pending.forEach(({ event }, i) => {
    const key = keys[i] as string;
    if (!firsts.has(key)) firsts.set(key, event);
  });
  const inserted = new Set(
    (await insertDeliveryEvents(store, db, [...firsts.values()])).map(keyOf),
  );
  // The projections follow the ledger in the same transaction (docs/adr/0018).
  await projectDeliveryEvents(
    store,
    db,
    [...firsts].filter(([key]) => inserted.has(key)).map(([, event]) => event),
  );
  // Every event new and none repeated: nothing to compare.
  if (inserted.size === pending.length) return { stored: inserted.size, conflicts: [] };
  const kept = new Map(firsts);
  const known = [...firsts].filter(([key]) => !inserted.has(key)).map(([, event]) => event);
  for (const event of await findDeliveryEventsByKey(store, db, known)) {
    kept.set(keyOf(event), event);
  }
  const conflicts: EventConflict[] = [];
  pending.forEach(({ event, index, line }, i) => {
    const winner = kept.get(keys[i] as string);
    if (winner === undefined || winner === event) return;
    const fields = differingFields(winner, event);
    if (fields.length === 0) return;
    conflicts.push({
      index,
      ...(line !== undefined ? { line } : {}),
      source: event.source,
      id: event.id,
      fields,
      message: `source "${event.source}" id "${event.id}" is already stored with a different ${fields.join(', ')}; the stored event is kept`,
    });
  });
  return { stored: inserted.size, conflicts };
}

/**
 * Validates and stores events (an input may map to several, or to none: ignored). With `atomic`, nothing is stored when any event is invalid;
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
  let ignored = 0;
  const warnings: RecordEventsResult['warnings'] = [];
  items.forEach((item, index) => {
    const line = item.line !== undefined ? { line: item.line } : {};
    const parsed = parseEventInput(item.value, { receivedAt: options.receivedAt });
    if (!parsed.ok) errors.push(...parsed.errors.map((e) => ({ ...e, index, ...line })));
    else if (parsed.value.length === 0) ignored += 1;
    for (const event of parsed.ok ? parsed.value : []) {
      pending.push({ event: toStoredEvent(event, options.receivedAt), index, ...line });
      for (const w of listEventWarnings(event)) warnings.push({ ...w, index, ...line });
    }
  });
  if (options.atomic && errors.length > 0) {
    return {
      accepted: 0,
      ignored: 0,
      stored: 0,
      duplicates: 0,
      conflicts: [],
      errors,
      warnings: [],
    };
  }
  const { stored, conflicts } =
    pending.length === 0
      ? { stored: 0, conflicts: [] }
      : await retryWrites(store, () =>
          store.db.transaction().execute((trx) => writeEvents(store, trx, pending)),
        );
  return {
    accepted: pending.length,
    ignored,
    stored,
    duplicates: pending.length - stored,
    conflicts,
    errors,
    warnings,
  };
}
