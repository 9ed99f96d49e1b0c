import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

// `candor db vacuum` (docs/adr/0055): an existing store's file rebuilt in 16 KiB pages.
describe('candor db vacuum', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-db-vacuum-'));
    // A store file made at SQLite's old default page size, as candor made them before 0055.
    const old = new DatabaseSync(join(dir, 'old.db'));
    old.exec('pragma page_size = 4096; pragma journal_mode = wal');
    old.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir });

  it('rebuilds an existing SQLite store in 16 KiB pages and keeps its rows', async () => {
    expect((await cli(['token', 'create', '--scope', 'read', '--db', 'old.db'])).code).toBe(0);
    const result = await cli(['db', 'vacuum', '--db', 'old.db']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /old\.db: vacuumed \d+ table\(s\), \d+\.\d MB → \d+\.\d MB, pages 4096 → 16384 bytes\n$/,
    );
    const check = new DatabaseSync(join(dir, 'old.db'));
    try {
      expect(check.prepare('pragma page_size').get()).toEqual({ page_size: 16_384 });
      expect(check.prepare('select count(*) as n from api_tokens').get()).toEqual({ n: 1 });
    } finally {
      check.close();
    }
  });

  it('exits 4 naming the store while another process has it open', async () => {
    const other = new DatabaseSync(join(dir, 'old.db'));
    try {
      other.prepare('select count(*) from api_tokens').get();
      const result = await cli(['db', 'vacuum', '--db', 'old.db']);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/vacuum of .*old\.db failed: .*stop other candor processes/);
    } finally {
      other.close();
    }
  });
});
