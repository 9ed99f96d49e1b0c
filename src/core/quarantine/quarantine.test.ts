import { describe, expect, it } from 'vitest';
import { QuarantineFile, quarantineStatus } from './quarantine.ts';

const valid = {
  key: 'a::b',
  owner: '@t',
  reason: 'r',
  created: '2026-11-01',
  expires: '2026-11-20',
};

describe('QuarantineFile', () => {
  it('defaults the mode to run and the version to 1', () => {
    expect(QuarantineFile.parse({ tests: [valid] })).toEqual({
      version: 1,
      tests: [{ ...valid, mode: 'run' }],
    });
  });

  it.each([
    [
      { ...valid, expires: '2026-12-02' },
      ['tests', 0, 'expires'],
      /at most 30 days after created \(2026-12-01\)/,
    ],
    [{ ...valid, expires: '2026-10-01' }, ['tests', 0, 'expires'], /before it was created/],
    [{ ...valid, owner: '' }, ['tests', 0, 'owner'], /owner is required/],
    [{ ...valid, created: '1 Nov' }, ['tests', 0, 'created'], /YYYY-MM-DD/],
    [{ ...valid, mode: 'mute' }, ['tests', 0, 'mode'], /run|skip/],
    [{ ...valid, issue: 'not a url' }, ['tests', 0, 'issue'], /URL/i],
  ])('rejects %j at its path', (entry, path, message) => {
    const result = QuarantineFile.safeParse({ tests: [entry] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });

  it('rejects a key listed twice', () => {
    const result = QuarantineFile.safeParse({ tests: [valid, valid] });
    expect(result.error?.issues[0]).toMatchObject({ path: ['tests', 1, 'key'] });
  });
});

describe('quarantineStatus', () => {
  it.each([
    ['2026-11-01', 'active'],
    ['2026-11-12', 'active'],
    ['2026-11-13', 'expiring'],
    ['2026-11-19', 'expiring'],
    ['2026-11-20', 'expired'],
    ['2026-12-01', 'expired'],
  ])('on %s an entry expiring 2026-11-20 is %s', (today, status) => {
    expect(quarantineStatus({ expires: '2026-11-20' }, today)).toBe(status);
  });
});
