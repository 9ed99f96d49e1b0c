import type { Problem } from '../../core/lib/problem.ts';
import type { Result } from '../../core/lib/result.ts';

/**
 * The contract every event reader implements (one folder per input format beside this file,
 * registered in `event-readers.ts`, checked by `event-reader-conformance.ts`): it recognises one
 * wire format of a delivery event (CDEvents, a CI or incident webhook, …) and maps it to
 * candor's event JSON, which `parseDeliveryEvent` (core) then validates like any event. A reader
 * checks only what it needs to map; the event schema and its limits are the core's.
 *
 * `parseEventInput` asks the readers in registry order, catch-alls last, and the first whose
 * `detect` claims a value maps it. `candor` (candor's own JSON, mapped as it is) claims every
 * value: it is the catch-all.
 */
export type EventReader = {
  /** The format's name, equal to its key in `eventReaders`. */
  readonly id: string;
  /** One line: what the reader maps. */
  readonly description: string;
  /** True when `value` (any JSON value) is in this format. Never throws. */
  detect(value: unknown): boolean;
  /**
   * True when `detect` claims every value (`candor`): asked after the other readers, so a format
   * added on any line of the registry is found first. Default false.
   */
  readonly isCatchAll?: boolean;
  /**
   * `value` as candor's event JSON (still to be validated): usually one event, several when one
   * input says several things (a CDEvents `service.rolledback` is a rollback triggered and
   * finished), none when it is a kind of this format candor does not record (ignored, counted in
   * `ignored`, never an error: a sender that forwards every event must not be refused). Or the
   * problems that prevent the mapping, each with the `path` of the field it is about. Never throws.
   */
  map(value: unknown): Result<readonly unknown[], Problem>;
};
