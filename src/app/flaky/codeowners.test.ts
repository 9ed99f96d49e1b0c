import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCodeowners } from './codeowners.ts';

describe('loadCodeowners', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-owners-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the owners of the last matching rule', () => {
    mkdirSync(join(dir, '.github'));
    writeFileSync(
      join(dir, '.github', 'CODEOWNERS'),
      '# owners\n* @everyone\n/src/cart/ @cart-team @alice\n*.py @python # inline comment\n',
    );
    const owners = loadCodeowners(dir);
    expect(owners('src/cart/cart.test.ts')).toEqual(['@cart-team', '@alice']);
    expect(owners('tools/x.py')).toEqual(['@python']);
    expect(owners('README.md')).toEqual(['@everyone']);
  });

  it('owns nothing without a CODEOWNERS file', () => {
    expect(loadCodeowners(join(dir, 'nowhere'))('src/a.ts')).toEqual([]);
  });
});
