import {
  parseDeliveryEvent,
  type DeliveryEvent,
  type EventContext,
  type EventProblem,
} from '../../core/delivery/delivery-event.ts';
import { candorEventReader } from './candor/candor-event-reader.ts';
import { cdeventsEventReader } from './cdevents/cdevents-event-reader.ts';
import { detectionOrder } from '../detection-order.ts';
import type { EventReader } from './event-reader.ts';

/**
 * Every event reader, by id. Detection follows this order with the catch-all `candor` last
 * (`detectionOrder`). Adding a format (a GitHub, GitLab or PagerDuty webhook) is one folder
 * beside this file and one line here (docs/adr/0011-plugin-families.md). Callers use
 * `parseEventInput`.
 */
export const eventReaders = {
  cdevents: cdeventsEventReader,
  candor: candorEventReader,
} satisfies Record<string, EventReader>;

export type EventFormat = keyof typeof eventReaders;
export const eventFormats = Object.keys(eventReaders) as EventFormat[];

/** True when `value` is the id of a registered event reader. Never throws. */
export function isEventFormat(value: string): value is EventFormat {
  return Object.hasOwn(eventReaders, value);
}

const detection = detectionOrder(eventReaders);
/** The catch-all, named for the type checker: it claims every value, so `find` always finds. */
const catchAll: EventFormat = 'candor';

/**
 * The first reader, in detection order (registry order, catch-alls last), that claims `value`.
 * Never throws.
 */
export function detectEventFormat(value: unknown): EventFormat {
  return detection.find((format) => eventReaders[format].detect(value)) ?? catchAll;
}

/**
 * Validates one input given in any registered format (candor JSON, a CDEvent bare or in a
 * structured CloudEvent, …): the reader that claims it maps it to candor events, then
 * `parseDeliveryEvent` checks each with its limits. An empty list is an input candor does not
 * record (a CDEvents type it does not map): the caller counts it as ignored. Problems name the
 * field (`path`, empty for the event as a whole); when one mapped event is invalid, none is
 * returned. Never throws.
 */
export function parseEventInput(
  value: unknown,
  context: EventContext,
): { ok: true; value: DeliveryEvent[] } | { ok: false; errors: EventProblem[] } {
  const mapped = eventReaders[detectEventFormat(value)].map(value);
  if (!mapped.ok) {
    return {
      ok: false,
      errors: mapped.errors.map((p) => ({ path: p.path ?? '', message: p.message })),
    };
  }
  const events: DeliveryEvent[] = [];
  const errors: EventProblem[] = [];
  for (const item of mapped.value) {
    const parsed = parseDeliveryEvent(item, context);
    if (parsed.ok) events.push(parsed.value);
    else errors.push(...parsed.errors);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: events };
}
