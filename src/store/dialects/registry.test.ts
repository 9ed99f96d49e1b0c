import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialects } from './dialects.ts';

/**
 * The registry and the folders agree (Renovate's "validates" test): every folder under
 * store/dialects/ is a registered dialect with what a dialect folder holds, every registration
 * has its folder, and each implementation's id is its key.
 */
const family = import.meta.dirname;
const folders = readdirSync(family, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== '__fixtures__')
  .map((entry) => entry.name)
  .sort();

describe('the store dialect registry (dialects.ts)', () => {
  it('registers every dialect folder, and has a folder for every registration', () => {
    expect(Object.keys(dialects).sort()).toEqual(folders);
  });

  it.each(Object.entries(dialects))('gives %s the id it is registered under', (key, dialect) => {
    expect(dialect.id).toBe(key);
    expect(dialect.description).toMatch(/^\S.*\S$/);
    expect(dialect.description).not.toContain('\n');
  });

  it.each(folders)(
    'finds in %s/ the implementation, a readme and a test that runs the conformance suite',
    (folder) => {
      const path = (name: string) => join(family, folder, name);
      expect(existsSync(path(`${folder}-dialect.ts`))).toBe(true);
      expect(existsSync(path('readme.md'))).toBe(true);
      expect(readFileSync(path(`${folder}-dialect.test.ts`), 'utf8')).toContain(
        'runDialectConformance',
      );
    },
  );
});
