import type { FastifyInstance } from 'fastify';
import { fingerprintStore } from '../../app/delivery/fingerprint-store.ts';
import type { Store } from '../../store/open-store.ts';
import { collectors } from '../metrics/collectors.ts';
import { gatherFlakeSnapshot } from '../metrics/gather-metrics-snapshot.ts';
import { latestCanaryVerdicts } from '../../app/canary/canary-analyses.ts';
import type { MetricsSnapshot } from '../metrics/metric-collector.ts';
import { readDeliveryTotals } from '../../app/delivery/read-delivery-totals.ts';
import { createMetricsRegistry } from '../metrics/metrics-registry.ts';

/**
 * GET /metrics: Prometheus text of the collectors in `metrics/collectors.ts`: the delivery totals
 * kept at ingest, read at each scrape (a few rows per service), and the flake gauges, computed
 * once per store change of test reports (or when the hour turns, which moves the flaky window).
 */
export async function metricsRoute(
  app: FastifyInstance,
  options: { store: Store; now: () => Date },
) {
  const registry = createMetricsRegistry(collectors);

  // One computation at a time, shared by concurrent scrapes; the flaky report is reused until a
  // test report is stored.
  let inFlight: Promise<string> | undefined;
  let flake: { key: string; value: MetricsSnapshot['flake'] } | undefined;
  const render = async (): Promise<string> => {
    const now = options.now();
    const key = `${await fingerprintStore(options.store)}@${now.toISOString().slice(0, 13)}`;
    if (flake?.key !== key) flake = { key, value: await gatherFlakeSnapshot(options.store, now) };
    const delivery = await readDeliveryTotals(options.store);
    const canaries = await latestCanaryVerdicts(options.store);
    return registry.render({ delivery, flake: flake.value, canaries });
  };

  app.get('/metrics', async (_request, reply) => {
    inFlight ??= render().finally(() => {
      inFlight = undefined;
    });
    return reply.type(registry.contentType).send(await inFlight);
  });
}
