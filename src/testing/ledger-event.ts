// Test support: ledger events for the DORA modules' tests, at hours after a fixed start.
import type { DeliveryEventType } from '../core/delivery/event-kinds.ts';
import { compareEvents, type LedgerEvent } from '../core/delivery/dora/ledger-event.ts';

/** 2026-11-01T00:00:00Z, the start of the tests' ledgers. */
export const ledgerStart = Date.parse('2026-11-01T00:00:00Z');

/** The instant `hours` after `ledgerStart`, in epoch milliseconds. */
export const hour = (hours: number): number => ledgerStart + hours * 3_600_000;

/** An event of service `api` with no field but those given. */
export function ledgerEvent(
  type: DeliveryEventType,
  at: number,
  fields: Partial<LedgerEvent> = {},
): LedgerEvent {
  return {
    type,
    at,
    service: 'api',
    environment: null,
    commit: null,
    commits: null,
    deployment: null,
    incident: null,
    result: null,
    attributes: null,
    ...fields,
  };
}

/** Events in replay order, as an accumulator wants them. */
export function inReplayOrder(events: readonly LedgerEvent[]): LedgerEvent[] {
  return [...events].sort(compareEvents);
}
