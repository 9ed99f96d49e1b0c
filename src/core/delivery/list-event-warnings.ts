import type { DeliveryEvent } from './delivery-event.ts';
import { eventKinds } from './event-kinds.ts';

/** Why a valid event counts in no metric, or counts otherwise than its sender may think. */
export type EventWarning = { path: string; message: string };

/**
 * What a valid event lacks for the metrics (DEFINITIONS.md): a deployment event without a
 * deployment or commit cannot be placed on a deployment and never counts; a deployment event
 * without an environment counts in `production` (a report of another `--env` leaves it out); a
 * stage or policy event without a commit marks nothing; an `incident_resolved` without an
 * incident resolves nothing. The event is stored all the same (the ledger keeps what
 * was sent). Pure; never throws.
 */
export function listEventWarnings(event: DeliveryEvent): EventWarning[] {
  const kind = eventKinds[event.type];
  const warnings: EventWarning[] = [];
  if (kind.belongsToDeployment) {
    if (event.deployment === undefined && event.commit === undefined)
      warnings.push({
        path: 'deployment',
        message: `${event.type} names no deployment or commit: it cannot be placed on a deployment and never counts`,
      });
    if (event.environment === undefined)
      warnings.push({
        path: 'environment',
        message: `${event.type} names no environment: it counts in production (a report of another environment leaves it out)`,
      });
  } else if (kind.stage !== null || event.type.startsWith('policy_')) {
    if (event.commit === undefined)
      warnings.push({
        path: 'commit',
        message: `${event.type} names no commit: it marks no change and never counts`,
      });
  } else if (event.type === 'incident_resolved' && event.incident === undefined) {
    warnings.push({
      path: 'incident',
      message: 'incident_resolved names no incident: it resolves nothing and never counts',
    });
  }
  return warnings;
}
