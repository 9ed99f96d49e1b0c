import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/tokens/api-tokens.ts';
import {
  deliveryLedgerStart,
  generateDeliveryLedger,
  shuffle,
} from '../testing/generate-delivery-ledger.ts';
import { openTestStore, type TestStore } from '../testing/open-test-store.ts';
import { recordEvents } from '../app/delivery/record-events.ts';
import { candorBin } from '../testing/run-cli-binary.ts';

// Two `candor serve` processes on one PostgreSQL schema, sent one ledger concurrently and out of
// order: both answer /metrics and /api/v1/dora the same, and as one store fed in time order.
describe('two candor serve replicas on one PostgreSQL', { timeout: 180_000 }, () => {
  let shared: TestStore;
  let reference: TestStore;
  const servers: ChildProcess[] = [];
  beforeAll(async () => {
    shared = await openTestStore('postgres');
    reference = await openTestStore('sqlite');
  }, 120_000);
  afterAll(async () => {
    for (const server of servers) server.kill('SIGTERM');
    await Promise.all(
      servers.map((s) => (s.exitCode === null ? once(s, 'exit') : Promise.resolve())),
    );
    await shared.drop();
    await reference.drop();
  });

  async function startServer(): Promise<string> {
    const child = spawn(
      process.execPath,
      [candorBin, 'serve', '--port', '0', '--log-level', 'error'],
      {
        env: { PATH: process.env['PATH'] ?? '', CANDOR_DATABASE_URL: shared.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    servers.push(child);
    let output = '';
    for await (const chunk of child.stdout) {
      output += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) return match[1];
    }
    throw new Error(`server exited: ${output}`);
  }

  it('answer the same, whatever replica each event went to', async () => {
    const [a, b] = await Promise.all([startServer(), startServer()]);
    const now = new Date(deliveryLedgerStart + 80 * 3_600_000).toISOString();
    const { secret } = await createApiToken(shared, { name: 'ci', scopes: ['admin'], now });
    // Dated within a day of now, as the server accepts them.
    const shift = Date.now() - (deliveryLedgerStart + 72 * 3_600_000);
    const ledger = generateDeliveryLedger(11, 400).map((e) => ({
      ...e,
      occurredAt: new Date(Date.parse(e.occurredAt) + shift).toISOString(),
    }));
    const batches = shuffle(ledger, 3).reduce<object[][]>((all, event, i) => {
      if (i % 20 === 0) all.push([]);
      all.at(-1)?.push(event);
      return all;
    }, []);
    const statuses = await Promise.all(
      batches.map((batch, i) =>
        fetch(`${i % 2 === 0 ? a : b}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 201)).toBe(true);
    const read = (base: string, path: string) =>
      fetch(`${base}${path}`, { headers: { authorization: `Bearer ${secret}` } }).then((r) =>
        r.text(),
      );
    const metrics = await read(a, '/metrics');
    expect(metrics).toMatch(
      /candor_change_failures_total\{service="api",environment="production"\} [1-9]/,
    );
    expect(await read(b, '/metrics')).toBe(metrics);
    const dora = '/api/v1/dora?window=7d';
    const fromA = JSON.parse(await read(a, dora)) as { window: unknown };
    const fromB = JSON.parse(await read(b, dora)) as { window: unknown };
    expect({ ...fromB, window: null }).toEqual({ ...fromA, window: null });
    // The same ledger sent in time order to one store gives the same totals.
    await recordEvents(
      reference,
      [...ledger]
        .sort((x, y) => (x.occurredAt < y.occurredAt ? -1 : 1))
        .map((value) => ({ value })),
      { receivedAt: new Date().toISOString(), atomic: true },
    );
    const deliveryLines = (text: string) =>
      text.split('\n').filter((l) => /^candor_(deploy|change|lead|recovery|rollback)/.test(l));
    const { buildServer } = await import('./build-server.ts');
    const app = await buildServer({
      store: reference,
      bodyLimitBytes: 1 << 20,
      logger: false,
      now: () => new Date(),
    });
    try {
      const local = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(deliveryLines(metrics)).toEqual(deliveryLines(local));
    } finally {
      await app.close();
    }
  });
});
