import { describe, expect, it } from 'vitest';
import { isCandorError } from '../core/lib/candor-error.ts';
import { resolveStoreLocation } from './open-store.ts';

const resolve = (db: string) => resolveStoreLocation({ db, env: {}, cwd: '/repo' });

describe('resolveStoreLocation', () => {
  it.each([
    ['ci.db', { kind: 'sqlite', path: '/repo/ci.db' }],
    ['sqlite://ci.db', { kind: 'sqlite', path: '/repo/ci.db' }],
    ['sqlite:///var/ci.db', { kind: 'sqlite', path: '/var/ci.db' }],
    ['file:///var/ci.db', { kind: 'sqlite', path: '/var/ci.db' }],
    [':memory:', { kind: 'sqlite', path: ':memory:' }],
    [
      'postgres://u@h:5432/d?schema=ci',
      { kind: 'postgres', url: 'postgres://u@h:5432/d', schema: 'ci' },
    ],
  ])('reads %s', (db, location) => {
    expect(resolve(db)).toEqual(location);
  });

  it.each(['mysql://root@127.0.0.1/x', 'mariadb://h/x', 'https://example.com/db'])(
    'refuses %s instead of creating a SQLite file named after it',
    (db) => {
      const error: unknown = (() => {
        try {
          resolve(db);
        } catch (e) {
          return e;
        }
      })();
      expect(isCandorError(error) && error.code).toBe('usage');
      expect((error as Error).message).toContain('is not supported');
    },
  );

  it('names every dialect it accepts when it refuses a URL', () => {
    expect(() => resolve('mysql://root@127.0.0.1/x')).toThrow(
      'database URL: "mysql://" is not supported; use a SQLite file path (or sqlite://path) or a postgres:// URL',
    );
  });

  it('refuses a PostgreSQL schema that is not a plain SQL identifier', () => {
    expect(() => resolve('postgres://h/d?schema=a;drop')).toThrow(
      'database URL: schema "a;drop" is not a plain SQL identifier',
    );
  });

  it('takes CANDOR_DATABASE_URL when --db is absent, and the default file otherwise', () => {
    expect(
      resolveStoreLocation({ env: { CANDOR_DATABASE_URL: 'postgres://h/d' }, cwd: '/repo' }),
    ).toEqual({ kind: 'postgres', url: 'postgres://h/d' });
    expect(resolveStoreLocation({ env: {}, cwd: '/repo' })).toEqual({
      kind: 'sqlite',
      path: '/repo/.candor/candor.db',
    });
  });
});
