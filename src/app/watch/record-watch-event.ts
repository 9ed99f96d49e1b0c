import type { WatchResult } from '../../core/watch/evaluate-watch.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import type { Store } from '../../store/open-store.ts';
import { recordEvents } from '../delivery/record-events.ts';

/** The ledger's source for the events of post-deploy watches (the CLI's and the server's). */
export const watchEventSource = 'candor-watch';

/** What a watch event says: which watch, of which deployment, when. */
export type WatchEvent = {
  type: 'watch_started' | 'watch_finished';
  /** The watch's id (the server's watch id, or the CLI run's). */
  watch: string;
  service: string;
  environment: string;
  deployment: string;
  at: Date;
  /** `watch_finished`: the final verdict and how many evaluations led to it. */
  verdict?: WatchResult | undefined;
  evaluations?: number | undefined;
};

const resultOf = { healthy: 'success', degraded: 'failure', inconclusive: undefined } as const;

/**
 * Records `watch_started` or `watch_finished` (docs/adr/0026) in the ledger, id
 * `<watch>:<type>` from source `candor-watch`, so a repeat is stored once. `watch_finished`
 * carries `result` success (healthy), failure (degraded) or none (inconclusive), and
 * `attributes.verdict` and `evaluations`. Throws CandorError `database` through the store.
 */
export async function recordWatchEvent(store: Store, event: WatchEvent): Promise<void> {
  const at = event.at.toISOString();
  const result = event.verdict === undefined ? undefined : resultOf[event.verdict];
  const recorded = await recordEvents(
    store,
    [
      {
        value: {
          source: watchEventSource,
          id: `${event.watch}:${event.type}`,
          type: event.type,
          occurredAt: at,
          service: event.service,
          environment: event.environment,
          deployment: event.deployment,
          ...(result === undefined ? {} : { result }),
          attributes: {
            watch: event.watch,
            ...(event.verdict === undefined ? {} : { verdict: event.verdict }),
            ...(event.evaluations === undefined ? {} : { evaluations: event.evaluations }),
          },
        },
      },
    ],
    { receivedAt: at, atomic: true },
  );
  if (recorded.errors.length > 0)
    throw new CandorError(
      'internal',
      `cannot record ${event.type}: ${recorded.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
}
