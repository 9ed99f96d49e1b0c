// Bench part (p): the delivery projections (docs/adr/0018) on a ledger of the shape of part (f):
// events stored with their projections, then what a /metrics scrape costs next to the ledger
// replay it replaced, `candor dora`, and a rebuild, on SQLite and PostgreSQL.
import { recordEvents } from '../src/app/delivery/record-events.ts';
import { buildDoraReport } from '../src/app/delivery/build-dora-report.ts';
import { rebuildDeliveryProjections } from '../src/app/delivery/project-delivery-events.ts';
import { createApiToken } from '../src/app/tokens/api-tokens.ts';
import { buildServer } from '../src/server/build-server.ts';
import { streamLedgerEvents } from '../src/store/repositories/delivery/delivery-event.repository.ts';
import { openTestStore, type TestDialect } from '../src/testing/open-test-store.ts';

type Report = {
  line: (label: string, value: string) => void;
  fmt: (n: number, digits?: number) => string;
};

/** Ten services; per deployment: commit, tests, policy, start, finish; every 20th rolled back, every 50th an incident. */
export function batchOf(start: number, size: number, total: number, now: number) {
  const spacing = (29 * 86_400_000) / Math.ceil(total / 5);
  return Array.from({ length: size }, (_, k) => {
    const i = start + k;
    const deploymentIndex = Math.floor(i / 5);
    const stage = i % 5;
    const at = new Date(
      now - 29 * 86_400_000 + deploymentIndex * spacing + stage * (spacing / 10),
    ).toISOString();
    const service = `svc-${deploymentIndex % 10}`;
    const commit = `c${deploymentIndex}`;
    const last =
      deploymentIndex % 50 === 0
        ? 'incident_opened'
        : deploymentIndex % 20 === 0
          ? 'rollback_triggered'
          : 'deploy_finished';
    const types = ['commit_created', 'tests_passed', 'policy_passed', 'deploy_started', last];
    const type = types[stage] as string;
    return {
      type,
      id: `e${i}`,
      source: 'bench',
      occurredAt: at,
      service,
      commit,
      ...(type === 'incident_opened' ? { incident: `inc-${deploymentIndex}` } : {}),
      ...(stage >= 3 && type !== 'incident_opened'
        ? { environment: 'production', deployment: `d${deploymentIndex}`, result: 'success' }
        : {}),
    };
  });
}

async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** Part (p), for each dialect: ingest with projections, scrape, dora, rebuild. */
export async function benchDeliveryProjections(
  { line, fmt }: Report,
  options: { events: number; dialects: readonly TestDialect[] },
): Promise<void> {
  const now = Date.now();
  for (const dialect of options.dialects) {
    console.log(
      `\n(p) delivery projections: ${fmt(options.events)} events of part (f)'s shape (${dialect})`,
    );
    const store = await openTestStore(dialect);
    try {
      const receivedAt = new Date(now).toISOString();
      const started = performance.now();
      for (let start = 0; start < options.events; start += 1_000) {
        const batch = batchOf(start, Math.min(1_000, options.events - start), options.events, now);
        await recordEvents(
          store,
          batch.map((value) => ({ value })),
          { receivedAt, atomic: true },
        );
      }
      const seconds = (performance.now() - started) / 1_000;
      line(
        'store events with their projections',
        `${fmt(seconds, 1)} s, ${fmt(options.events / seconds)} events/s (batches of 1,000)`,
      );
      const app = await buildServer({
        store,
        bodyLimitBytes: 1 << 20,
        logger: false,
        now: () => new Date(),
      });
      try {
        await createApiToken(store, { name: 'b', scopes: ['admin'], now: receivedAt });
        // A new event before each scrape, so no scrape is answered from the cache.
        const times: number[] = [];
        for (let n = 0; n < 7; n++) {
          await recordEvents(
            store,
            [
              {
                value: {
                  type: 'commit_created',
                  id: `probe-${n}`,
                  occurredAt: receivedAt,
                  service: 'svc-0',
                  commit: `probe-${n}`,
                },
              },
            ],
            { receivedAt, atomic: true },
          );
          const started = performance.now();
          const response = await app.inject({ method: 'GET', url: '/metrics' });
          if (response.statusCode !== 200) throw new Error(`/metrics: ${response.statusCode}`);
          times.push(performance.now() - started);
        }
        const scrape = times.sort((a, b) => a - b)[3] as number;
        const scrapeOnly = await median(7, async () => {
          const response = await app.inject({ method: 'GET', url: '/metrics' });
          if (response.statusCode !== 200) throw new Error(`/metrics: ${response.statusCode}`);
        });
        line('GET /metrics after a new event (median of 7)', `${fmt(scrape, 1)} ms`);
        line('GET /metrics, unchanged store (median of 7)', `${fmt(scrapeOnly, 1)} ms`);
        line('target: a scrape <= 50 ms', scrape <= 50 ? 'met' : 'MISSED');
      } finally {
        await app.close();
      }
      // The floor the old scrape paid: every event of the ledger once through a cursor.
      const replay = await median(1, async () => {
        for (let s = 0; s < 10; s++)
          for await (const chunk of streamLedgerEvents(store.db, {
            service: `svc-${s}`,
            from: '0000-01-01T00:00:00.000Z',
            to: new Date(now + 1).toISOString(),
          }))
            if (chunk.length < 0) throw new Error('unreachable');
      });
      line('baseline: stream the whole ledger once', `${fmt(replay)} ms (the old scrape's floor)`);
      const dora = await median(3, () =>
        buildDoraReport(store, {
          now: new Date(now),
          windowMs: 30 * 86_400_000,
          environment: 'production',
          incidentWindowMs: 86_400_000,
        }),
      );
      line('candor dora (ledger replay, median of 3)', `${fmt(dora)} ms`);
      line('target: candor dora <= 300 ms', dora <= 300 ? 'met' : 'MISSED');
      const rebuild = await median(1, () => rebuildDeliveryProjections(store));
      line('candor db rebuild', `${fmt(rebuild / 1_000, 1)} s`);
    } finally {
      await store.drop();
    }
  }
}
