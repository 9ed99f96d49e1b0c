import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nulReplacement } from '../../store/dialects/nul-safe-dialect.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { ingestReport } from './ingest-report.ts';
import { bufferSource } from './report-source.ts';

describe.each(testDialects)('ingestReport with NUL characters in the report on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('ingests a report whose names, messages and output hold NUL characters', async () => {
    const report = JSON.stringify({
      results: {
        tool: { name: 'x' },
        tests: [
          { name: 'nul\u0000name', status: 'failed', duration: 1, message: 'bad \u0000 byte' },
        ],
      },
    });
    const file = await ingestReport(store, {
      run: { id: 'nul-run', repo: 'r\u0000', startedAt: '2026-11-20T10:00:00.000Z' },
      source: bufferSource('nul.json', Buffer.from(report)),
      format: 'auto',
      allowEmpty: false,
      now: '2026-11-20T10:00:00.000Z',
    });
    expect(file.errors).toEqual([]);
    const tests = await store.db.selectFrom('tests').select(['key', 'repo']).execute();
    expect(tests).toEqual([{ key: `nul${nulReplacement}name`, repo: `r${nulReplacement}` }]);
    const failure = await store.db.selectFrom('test_failures').select('message').execute();
    expect(failure[0]?.message).toBe(`bad ${nulReplacement} byte`);
  });
});
