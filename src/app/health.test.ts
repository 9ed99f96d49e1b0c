import { describe, expect, it } from 'vitest';
import { openTestStore, testDialects } from '../testing/open-test-store.ts';
import { checkHealth } from './health.ts';

describe.each(testDialects)('checkHealth on %s', (dialect) => {
  it('is ok on an open store and unavailable once it is closed, without throwing', async () => {
    const store = await openTestStore(dialect);
    try {
      expect(await checkHealth(store)).toBe('ok');
    } finally {
      await store.drop();
    }
    expect(await checkHealth(store)).toBe('unavailable');
  });
});
