import { afterEach, describe, expect, it } from 'vitest';
import type { WatchReport } from '../../../core/watch/evaluate-watch.ts';
import { openTestStore, testDialects, type TestStore } from '../../../testing/open-test-store.ts';
import { findDialect } from '../../dialects/dialects.ts';
import { openStore, type Store } from '../../open-store.ts';
import { claimWatch, findWatch, insertWatch, saveWatchEvaluation } from './watch.repository.ts';

const at = (minutes: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + minutes * 60_000);
const report = (verdict: WatchReport['verdict']): WatchReport => ({
  service: 'shop',
  deployment: 'd-1',
  evaluatedAt: at(10).toISOString(),
  verdict,
  findings: [],
  rollbackMetrics: [],
});

describe.each(testDialects)('watches and their lease (%s)', (dialect) => {
  let store: TestStore;
  let other: Store | undefined;
  afterEach(async () => {
    await other?.close();
    await store?.drop();
  });

  it('lets exactly one of two replicas evaluate a watch, until its lease expires', async () => {
    store = await openTestStore(dialect);
    // A second connection, as a second server instance on the same database has.
    other = await openStore(findDialect(store.url)!.parseLocation(store.url, process.cwd()));
    await insertWatch(store.db, {
      id: 'w-1',
      service: 'shop',
      environment: 'production',
      deployment: 'd-1',
      deployedAt: at(0).toISOString(),
      windowEnd: at(120).toISOString(),
      everyMs: 60_000,
      createdAt: at(0).toISOString(),
    });
    const claims = await Promise.all([
      claimWatch(store.db, { id: 'w-1', owner: 'a', now: at(1), leaseMs: 120_000 }),
      claimWatch(other.db, { id: 'w-1', owner: 'b', now: at(1), leaseMs: 120_000 }),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = claims[0] ? ['a', 'b'] : ['b', 'a'];
    const db = (owner: string) => (owner === 'a' ? store.db : other!.db);
    // The holder renews; the other cannot take it before the lease ends, nor save.
    expect(
      await claimWatch(db(winner), { id: 'w-1', owner: winner, now: at(2), leaseMs: 120_000 }),
    ).toBe(true);
    expect(
      await claimWatch(db(loser), { id: 'w-1', owner: loser, now: at(3), leaseMs: 120_000 }),
    ).toBe(false);
    expect(
      await saveWatchEvaluation(db(loser), {
        id: 'w-1',
        owner: loser,
        now: at(3),
        report: report('healthy'),
        final: false,
      }),
    ).toBe(false);
    expect(
      await saveWatchEvaluation(db(winner), {
        id: 'w-1',
        owner: winner,
        now: at(3),
        report: report('healthy'),
        final: false,
      }),
    ).toBe(true);
    // The holder goes away: after expiry the other takes over, and the old holder's save is dropped.
    expect(
      await claimWatch(db(loser), { id: 'w-1', owner: loser, now: at(5), leaseMs: 120_000 }),
    ).toBe(true);
    expect(
      await saveWatchEvaluation(db(winner), {
        id: 'w-1',
        owner: winner,
        now: at(5),
        report: report('degraded'),
        final: true,
      }),
    ).toBe(false);
    expect(
      await saveWatchEvaluation(db(loser), {
        id: 'w-1',
        owner: loser,
        now: at(6),
        report: report('degraded'),
        final: true,
      }),
    ).toBe(true);
    const saved = await findWatch(store.db, 'w-1');
    expect(saved).toMatchObject({
      verdict: 'degraded',
      finishedAt: at(6).toISOString(),
      leaseOwner: null,
      everyMs: 60_000,
      report: { verdict: 'degraded' },
    });
    // A finished watch is nobody's to claim.
    expect(await claimWatch(store.db, { id: 'w-1', owner: 'a', now: at(60), leaseMs: 1 })).toBe(
      false,
    );
    expect(await findWatch(store.db, 'nope')).toBeUndefined();
  });
});
