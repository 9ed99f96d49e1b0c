import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCandorError } from '../../core/lib/candor-error.ts';
import { openStore, type Store } from '../../store/open-store.ts';
import { ingestReport } from './ingest-report.ts';
import { bufferSource } from './report-source.ts';

const report = Buffer.from(
  '<testsuite name="s"><testcase classname="c" name="a"/><testcase classname="c" name="b"/></testsuite>',
);
const request = (runId: string) => ({
  run: { id: runId, repo: 'r', startedAt: '2026-11-20T10:00:00.000Z' },
  source: bufferSource('locked.xml', report),
  format: 'auto' as const,
  allowEmpty: false,
  now: '2026-11-20T10:00:00.000Z',
});

describe('ingestReport while another process holds the SQLite write lock', () => {
  let dir: string;
  let path: string;
  let other: DatabaseSync;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-lock-'));
    path = join(dir, 'candor.db');
    await (await openStore({ kind: 'sqlite', path })).close(); // migrated
    other = new DatabaseSync(path);
    other.exec('begin immediate'); // what a concurrent `candor ingest` holds while it writes
  });
  afterEach(() => {
    if (other.isTransaction) other.exec('rollback');
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (writeRetryMs: number): Promise<Store> =>
    openStore({ kind: 'sqlite', path }, { busyTimeoutMs: 50, writeRetryMs });

  it('waits and stores the report once the other writer is done', async () => {
    const store = await open(60_000);
    try {
      const release = setTimeout(() => other.exec('commit'), 600);
      const file = await ingestReport(store, request('waits'));
      clearTimeout(release);
      expect(file).toMatchObject({ errors: [], tests: 2, duplicate: false });
      expect(other.isTransaction).toBe(false); // it only got through after the commit
    } finally {
      await store.close();
    }
  });

  it('gives up after the write deadline naming the file and what to do, storing nothing', async () => {
    const store = await open(400);
    try {
      const error: unknown = await ingestReport(store, request('gives-up')).catch(
        (e: unknown) => e,
      );
      expect(isCandorError(error) && error.code).toBe('database');
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(/locked by other writers .* PostgreSQL/);
      other.exec('rollback');
      const runs = await store.db.selectFrom('test_runs').select('id').execute();
      expect(runs).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
