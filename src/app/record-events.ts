import { hash } from 'node:crypto';
import {
  defaultEventSource,
  parseEventInput,
  type DeliveryEvent,
  type EventProblem,
} from '../core/delivery-event.ts';
import { insertDeliveryEvents } from '../store/delivery-event.repository.ts';
import type { Store } from '../store/open-store.ts';
import type { DeliveryEventTable } from '../store/schema.ts';

/** An event's id when it has none: a hash of its content, so sending it again is idempotent. */
export function deriveEventId(event: DeliveryEvent): string {
  const canonical = JSON.stringify(event, Object.keys(event).sort());
  return `sha256:${hash('sha256', canonical, 'hex').slice(0, 32)}`;
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

export type RecordEventsResult = {
  /** Valid events seen. */
  accepted: number;
  /** Of those, new to the ledger (the rest were already stored: same source and id). */
  stored: number;
  duplicates: number;
  errors: (EventProblem & { index: number; line?: number })[];
};

/**
 * Validates and stores events. With `atomic`, nothing is stored when any event is invalid;
 * otherwise valid events are stored and invalid ones reported with their index (and line).
 * Throws CandorError `database` only through the store.
 */
export async function recordEvents(
  store: Store,
  items: readonly { value: unknown; line?: number }[],
  options: { receivedAt: string; atomic: boolean },
): Promise<RecordEventsResult> {
  const rows: DeliveryEventTable[] = [];
  const errors: RecordEventsResult['errors'] = [];
  items.forEach((item, index) => {
    const parsed = parseEventInput(item.value);
    if (parsed.ok) rows.push(toEventRow(parsed.value, options.receivedAt));
    else
      errors.push(
        ...parsed.errors.map((e) => ({
          ...e,
          index,
          ...(item.line !== undefined ? { line: item.line } : {}),
        })),
      );
  });
  if (options.atomic && errors.length > 0) return { accepted: 0, stored: 0, duplicates: 0, errors };
  const stored =
    rows.length === 0
      ? 0
      : await store.db.transaction().execute((trx) => insertDeliveryEvents(trx, rows));
  return { accepted: rows.length, stored, duplicates: rows.length - stored, errors };
}
