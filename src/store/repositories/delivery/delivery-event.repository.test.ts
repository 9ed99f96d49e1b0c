import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvents } from '../../../app/delivery/record-events.ts';
import { openTestStore, testDialects, type TestStore } from '../../../testing/open-test-store.ts';
import { ensureRun, insertReport } from '../tests/test-result.repository.ts';
import {
  countLedgerEventsByType,
  countServiceEvents,
  listDeliveryServices,
  storeFingerprint,
} from './delivery-event.repository.ts';

describe.each(testDialects)('delivery-event.repository on %s', (dialect) => {
  let store: TestStore;
  const day = (d: number) => `2026-11-0${d}T12:00:00.000Z`;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    const events = [
      ['zeta', 1, 'commit_created'],
      ['api', 2, 'commit_created'],
      ['api', 3, 'deploy_started'],
      ['api', 3, 'commit_created'],
      ['Billing', 4, 'incident_opened'],
      ['web', 6, 'commit_created'],
    ] as const;
    await recordEvents(
      store,
      events.map(([service, d, type], i) => ({
        value: {
          type,
          id: `e${i}`,
          source: 'repo-test',
          occurredAt: day(d),
          service,
          commit: `c${i}`,
          ...(type === 'incident_opened' ? { incident: `i${i}` } : {}),
        },
      })),
      { receivedAt: day(7), atomic: true },
    );
  });
  afterAll(async () => {
    await store.drop();
  });

  it.each([
    ['every service', day(1), day(7), ['Billing', 'api', 'web', 'zeta']],
    ['only those with an event in the range, its end excluded', day(2), day(6), ['Billing', 'api']],
    ['none before the first event', '2026-10-01T00:00:00.000Z', day(1), []],
  ] as const)('lists %s, sorted', async (_, from, to, expected) => {
    expect(await listDeliveryServices(store.db, { from, to })).toEqual(expected);
  });

  it('counts one service’s events in a range, the same as the count by type adds up to', async () => {
    const range = { service: 'api', from: day(3), to: day(7) };
    expect(await countServiceEvents(store.db, range)).toBe(2);
    const byType = await countLedgerEventsByType(store.db, range);
    expect([...byType.values()].reduce((a, b) => a + b, 0)).toBe(2);
    expect(await countServiceEvents(store.db, { ...range, service: 'nobody' })).toBe(0);
  });

  it('changes the fingerprint with every stored report, one committed late included', async () => {
    const report = async (db: typeof store.db, id: string) => {
      await ensureRun(store, db, { id: 'fp', repo: 'r', startedAt: day(1) }, day(1));
      return insertReport(store, db, {
        id,
        runId: 'fp',
        path: `${id}.xml`,
        format: 'junit',
        contentSha256: id,
        sizeBytes: 1,
        ingestedAt: day(1),
      });
    };
    const seen = new Set([await storeFingerprint(store.db)]);
    for (const id of ['fp-1', 'fp-2']) {
      await report(store.db, id);
      seen.add(await storeFingerprint(store.db));
    }
    expect(seen.size).toBe(3);
    if (dialect !== 'postgres') return;
    // PostgreSQL hands out numbers as rows are inserted: a report can take its number before
    // another and commit after it, and must still change the fingerprint when it does.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let early = 0;
    const slow = store.db.transaction().execute(async (trx) => {
      early = await report(trx, 'fp-early');
      await held;
    });
    while (early === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const later = await report(store.db, 'fp-later');
    expect(later).toBeGreaterThan(early);
    const before = await storeFingerprint(store.db);
    release();
    await slow;
    expect(await storeFingerprint(store.db)).not.toBe(before);
  });
});
