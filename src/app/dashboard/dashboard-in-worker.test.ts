import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardQuery } from '../../contracts/dashboard.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { openStore, type Store } from '../../store/open-store.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import {
  deliveryLedgerStart,
  generateDeliveryLedger,
} from '../../testing/generate-delivery-ledger.ts';
import { recordEvents } from '../delivery/record-events.ts';
import { ingestReport } from '../tests/ingest-report.ts';
import { bufferSource } from '../tests/report-source.ts';
import {
  buildDashboard,
  buildDeliveryPanels,
  buildTestsPanel,
  type DashboardPartQuery,
} from './build-dashboard.ts';
import { startDashboardReads } from './dashboard-in-worker.ts';

const now = new Date('2026-11-20T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
const query: DashboardPartQuery = {
  ...DashboardQuery.parse({ window: '7d' }),
  now,
  quarantine: [
    {
      key: 'Cart::sometimes',
      owner: '@shop',
      reason: 'flaky on CI',
      expires: '2026-12-31',
      mode: 'run',
    } as NonNullable<DashboardPartQuery['quarantine']>[number],
  ],
};

/** Four runs: `sometimes` fails in every other one, `always` in each, `steady` never. */
async function ingestFixture(store: Store): Promise<void> {
  for (let index = 0; index < 4; index++) {
    const failure = '<failure message="expected 1 but was 0"/>';
    const xml = `<testsuite name="shop">${[
      `<testcase classname="Cart" name="steady" time="0.1"/>`,
      `<testcase classname="Cart" name="sometimes" time="0.1">${index % 2 === 0 ? failure : ''}</testcase>`,
      `<testcase classname="Cart" name="always" time="0.1">${failure}</testcase>`,
    ].join('')}</testsuite>`;
    await ingestReport(store, {
      run: {
        id: `r${index}`,
        repo: 'acme/shop',
        branch: 'main',
        defaultBranch: 'main',
        commitSha: `c${index}`,
        startedAt: hoursAgo(40 - index * 10),
      },
      source: bufferSource('junit.xml', Buffer.from(xml)),
      format: 'junit',
      allowEmpty: false,
      now: hoursAgo(40 - index * 10),
    });
  }
}

// The read worker of `candor serve` answers the test truth panel from its own connection: the
// same panel as this thread's, on both databases, and this thread's answer when it cannot.
describe.each(testDialects)("the dashboard's read worker on %s", (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    await ingestFixture(store);
    await recordEvents(
      store,
      generateDeliveryLedger(7, 300).map((value) => ({ value })),
      { receivedAt: new Date(deliveryLedgerStart + 4 * 86_400_000).toISOString(), atomic: true },
    );
  });
  afterAll(() => store.drop());

  it('answers the test and delivery panels in worker threads, as this thread does', async () => {
    const reads = startDashboardReads(store);
    try {
      expect(reads.inWorker).toBe(true);
      const expected = await buildTestsPanel(store, query);
      expect(expected.tests.status).toBe('ok');
      // Several at once: answered in order, each its own.
      const answers = await Promise.all([
        reads.testsPanel(query),
        reads.testsPanel({ ...query, windowMs: 3_600_000, window: '1h' as never }),
        reads.testsPanel(query),
      ]);
      expect(answers[0]).toEqual(expected);
      expect(answers[2]).toEqual(expected);
      expect(answers[1]).toEqual(
        await buildTestsPanel(store, { ...query, windowMs: 3_600_000, window: '1h' as never }),
      );
      // The delivery panels from their own worker; the whole dashboard with both workers' parts.
      const delivered = { ...query, now: new Date(deliveryLedgerStart + 4 * 86_400_000) };
      const expectedDelivery = await buildDeliveryPanels(store, delivered);
      expect(expectedDelivery.keys.status).toBe('ok');
      expect(await reads.deliveryPanels(delivered)).toEqual(expectedDelivery);
      expect(
        await buildDashboard(store, query, {
          testsPanel: reads.testsPanel,
          deliveryPanels: reads.deliveryPanels,
        }),
      ).toEqual(await buildDashboard(store, query));
    } finally {
      await reads.close();
    }
    // Closed: reads run on this thread, with the same answers.
    expect(reads.inWorker).toBe(false);
    expect(await reads.testsPanel(query)).toEqual(await buildTestsPanel(store, query));
    expect(await reads.deliveryPanels(query)).toEqual(await buildDeliveryPanels(store, query));
  });

  it("gives a bug in the worker as an error naming the worker, with the bug's message", async () => {
    const reads = startDashboardReads(store);
    try {
      // Not a time: the panel's own read throws a RangeError here and there.
      const bad = { ...query, windowMs: Number.NaN };
      const here = await buildTestsPanel(store, bad).then(
        () => undefined,
        (error: unknown) => error,
      );
      const there = await reads.testsPanel(bad).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(here).toBeInstanceOf(RangeError);
      expect(there).toBeInstanceOf(Error);
      expect(there).not.toBeInstanceOf(CandorError);
      expect((there as Error).message).toBe(
        `the dashboard's read worker: ${(here as Error).message}`,
      );
      // The worker still answers after it.
      expect(await reads.testsPanel(query)).toEqual(await buildTestsPanel(store, query));
    } finally {
      await reads.close();
    }
  });
});

describe("the dashboard's read worker when it cannot help", () => {
  it('reads on this thread when the store is an in-memory database', async () => {
    const memory = await openStore({ kind: 'sqlite', path: ':memory:' });
    try {
      await ingestFixture(memory);
      const reads = startDashboardReads(memory);
      expect(reads.inWorker).toBe(false);
      const panel = await reads.testsPanel(query);
      expect(panel.tests.status).toBe('ok');
      expect(panel).toEqual(await buildTestsPanel(memory, query));
      await reads.close();
    } finally {
      await memory.close();
    }
  });

  it('reads on this thread what a worker that could not open the store was asked', async () => {
    const store = await openTestStore('sqlite');
    const dir = mkdtempSync(join(tmpdir(), 'candor-reads-'));
    try {
      await ingestFixture(store);
      // A database path under a plain file: the worker's open fails, this thread's store works.
      const file = join(dir, 'not-a-directory');
      writeFileSync(file, '');
      const unreachable: Store = {
        ...store,
        location: { kind: 'sqlite', path: join(file, 'x.db') },
      };
      const reads = startDashboardReads(unreachable);
      const [panel, delivery] = await Promise.all([
        reads.testsPanel(query),
        reads.deliveryPanels(query),
      ]);
      expect(panel).toEqual(await buildTestsPanel(store, query));
      expect(panel.tests.status).toBe('ok');
      expect(delivery).toEqual(await buildDeliveryPanels(store, query));
      expect(reads.inWorker).toBe(false);
      await reads.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await store.drop();
    }
  });
});
