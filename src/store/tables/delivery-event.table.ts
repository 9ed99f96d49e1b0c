import type { DeliveryEvent } from '../../core/delivery/delivery-event.ts';
import type { DeliveryEventType } from '../../core/delivery/event-kinds.ts';

/** `delivery_events`: one delivery event (commit, build, deploy, rollback, incident, ...). */
export type DeliveryEventTable = {
  source: string;
  id: string;
  type: DeliveryEventType;
  /** ISO-8601 UTC, normalised (`toISOString`), so it sorts as text. */
  occurred_at: string;
  received_at: string;
  service: string;
  environment: string | null;
  commit_sha: string | null;
  /** JSON array of commit SHAs. */
  commits: string | null;
  deployment: string | null;
  incident: string | null;
  result: NonNullable<DeliveryEvent['result']> | null;
  /** JSON object. */
  attributes: string | null;
};
