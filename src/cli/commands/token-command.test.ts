import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

describe('candor token', () => {
  let dir: string;
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-token-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists tokens as JSON, never their secrets', async () => {
    expect(JSON.parse((await cli(['token', 'list', '--json', '--db', 't.db'])).stdout)).toEqual({
      tokens: [],
    });
    const created = JSON.parse(
      (
        await cli([
          'token',
          'create',
          '--scope',
          'ingest',
          '--name',
          'ci',
          '--json',
          '--db',
          't.db',
        ])
      ).stdout,
    ) as { id: string; token: string };
    const other = JSON.parse((await cli(['token', 'create', '--json', '--db', 't.db'])).stdout) as {
      id: string;
    };
    expect((await cli(['token', 'revoke', other.id, '--db', 't.db'])).code).toBe(0);
    const listed = await cli(['token', 'list', '--json', '--db', 't.db']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(created.token);
    expect(JSON.parse(listed.stdout)).toEqual({
      tokens: [
        {
          id: created.id,
          name: 'ci',
          scopes: ['ingest'],
          createdAt: expect.any(String) as string,
          revokedAt: null,
        },
        {
          id: other.id,
          name: 'token',
          scopes: ['read'],
          createdAt: expect.any(String) as string,
          revokedAt: expect.any(String) as string,
        },
      ],
    });
  });

  it.each([
    [
      ['--scope', 'ingest', '--scope', 'read'],
      ['ingest', 'read'],
    ],
    [
      ['--scope', 'ingest,admin'],
      ['ingest', 'admin'],
    ],
    [
      ['--scope', 'read, ingest', '--scope', 'read'],
      ['read', 'ingest'],
    ],
    [[], ['read']],
  ])('creates a token with %j', async (flags, scopes) => {
    const result = await cli(['token', 'create', ...flags, '--json', '--db', 's.db']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ scopes });
  });

  it('refuses --scope followed by a flag (exit 2), naming it, and touches no database', async () => {
    const result = await cli(['token', 'create', '--scope', '--db', 'x.db']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /argument '--db' is invalid\. expected ingest, read, admin, canary \(comma-separated, or --scope again\); "--db" is a flag: is the scope missing\?/,
    );
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
    expect(existsSync(join(dir, '.candor'))).toBe(false);
  });

  it('refuses an unknown scope (exit 2), naming it', async () => {
    const result = await cli(['token', 'create', '--scope', 'ingest,root', '--db', 'x.db']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown scope "root"; expected ingest, read, admin/);
  });
});
