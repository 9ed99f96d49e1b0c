import { compareText } from '../../lib/compare-text.ts';
import type { DeliveryEventType, DeliveryResult } from '../event-kinds.ts';

/** A stored event as the metrics see it; times in epoch milliseconds. */
export type LedgerEvent = {
  type: DeliveryEventType;
  at: number;
  service: string;
  environment: string | null;
  commit: string | null;
  commits: string[] | null;
  deployment: string | null;
  incident: string | null;
  result: DeliveryResult | null;
  attributes: Record<string, unknown> | null;
};

/** The order the ledger is replayed in: by time, then by type. Never throws. */
export function compareEvents(a: LedgerEvent, b: LedgerEvent): number {
  return a.at - b.at || compareText(a.type, b.type);
}

/**
 * True when an event happened in `environment`; an event that names no environment is taken to
 * be in the measured (production) one. Never throws.
 */
export function isInEnvironment(event: LedgerEvent, environment: string): boolean {
  return (event.environment ?? environment) === environment;
}
