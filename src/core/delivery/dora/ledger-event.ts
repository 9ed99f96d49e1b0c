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

/** The environment an event that names none is counted in (DEFINITIONS.md "Deployments"). */
export const defaultEnvironment = 'production';

/**
 * True when an event happened in `environment`; an event that names no environment happened in
 * `production` (as `/metrics` counts it), whichever environment a report measures. Never throws.
 */
export function isInEnvironment(event: LedgerEvent, environment: string): boolean {
  return (event.environment ?? defaultEnvironment) === environment;
}
