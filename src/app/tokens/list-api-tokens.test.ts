import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokenList } from '../../contracts/api-tokens.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { createApiToken, verifyApiToken } from './api-tokens.ts';
import { listApiTokens } from './list-api-tokens.ts';
import { revokeApiToken } from './revoke-api-token.ts';

describe.each(testDialects)('listing and revoking API tokens on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('lists tokens without secrets, and revokes one by id once', async () => {
    const first = await createApiToken(store, {
      name: 'ci',
      scopes: ['read', 'ingest'],
      now: '2026-03-10T10:00:00.000Z',
    });
    const second = await createApiToken(store, {
      name: 'dash',
      scopes: ['read'],
      now: '2026-03-10T11:00:00.000Z',
    });
    const list = await listApiTokens(store);
    expect(ApiTokenList.parse(list)).toEqual(list);
    expect(list.tokens).toEqual([
      {
        id: first.id,
        name: 'ci',
        scopes: ['ingest', 'read'],
        createdAt: '2026-03-10T10:00:00.000Z',
        revokedAt: null,
      },
      expect.objectContaining({ id: second.id, name: 'dash', scopes: ['read'] }),
    ]);
    expect(JSON.stringify(list)).not.toContain(first.secret);

    await revokeApiToken(store, first.id, '2026-03-10T12:00:00.000Z');
    expect(await verifyApiToken(store, first.secret)).toBeUndefined();
    expect((await listApiTokens(store)).tokens[0]?.revokedAt).toBe('2026-03-10T12:00:00.000Z');
    await expect(revokeApiToken(store, first.id, '2026-03-10T13:00:00.000Z')).rejects.toMatchObject(
      { code: 'not-found', message: `no active token has the id "${first.id}"` },
    );
  });
});
