import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeliveryEvents, insertDeliveryEvents } from '../repositories/delivery/delivery-event.repository.ts';
import { nulReplacement } from './nul-safe-dialect.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';

describe.each(testDialects)('nulSafeDialect on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('stores a NUL character in text as U+2400, and finds it by the text as sent', async () => {
    const stored = await insertDeliveryEvents(store.db, [
      {
        source: 'nul',
        id: 'e\u00001',
        type: 'deploy_started',
        occurred_at: '2026-11-20T10:00:00.000Z',
        received_at: '2026-11-20T10:00:00.000Z',
        service: 'a\u0000b',
        environment: null,
        commit_sha: null,
        commits: null,
        deployment: null,
        incident: null,
        result: null,
        attributes: JSON.stringify({ note: 'x\u0000y' }),
      },
    ]);
    expect(stored).toHaveLength(1);
    const rows = await findDeliveryEvents(store.db, {
      from: '2026-01-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
      service: 'a\u0000b',
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: `e${nulReplacement}1`, service: `a${nulReplacement}b` });
    // JSON text escapes NUL itself, so attributes keep it exactly.
    expect(JSON.parse(rows[0]!.attributes!)).toEqual({ note: 'x\u0000y' });
  });
});
