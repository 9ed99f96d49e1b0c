import type { FastifyInstance } from 'fastify';
import { fingerprintStore } from '../../app/delivery/fingerprint-store.ts';
import type { Store } from '../../store/open-store.ts';
import { collectors } from '../metrics/collectors.ts';
import { gatherMetricsSnapshot } from '../metrics/gather-metrics-snapshot.ts';
import { createMetricsRegistry } from '../metrics/metrics-registry.ts';

/**
 * GET /metrics: Prometheus text of the collectors in `metrics/collectors.ts`, computed from the
 * ledger at each scrape (so a restart loses nothing), per service and environment.
 */
export async function metricsRoute(
  app: FastifyInstance,
  options: { store: Store; now: () => Date },
) {
  const registry = createMetricsRegistry(collectors);

  // One computation at a time, shared by concurrent scrapes, and reused until the store changes
  // (or the hour turns, which moves the flaky window): a scrape never replays the ledger twice.
  let inFlight: Promise<string> | undefined;
  let cached: { key: string; text: string } | undefined;
  const render = async (): Promise<string> => {
    const now = options.now();
    const key = `${await fingerprintStore(options.store)}@${now.toISOString().slice(0, 13)}`;
    if (cached?.key === key) return cached.text;
    const text = await registry.render(await gatherMetricsSnapshot(options.store, now));
    cached = { key, text };
    return text;
  };

  app.get('/metrics', async (_request, reply) => {
    inFlight ??= render().finally(() => {
      inFlight = undefined;
    });
    return reply.type(registry.contentType).send(await inFlight);
  });
}
