import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addToQuarantine, type QuarantineRequest } from './add-to-quarantine.ts';
import { openQuarantine } from './open-quarantine.ts';

const today = '2026-03-10';
const request = (extra: Partial<QuarantineRequest> = {}): QuarantineRequest => ({
  key: 'shop.Cart::adds',
  owner: '@cart',
  reason: 'races the mock',
  mode: 'run',
  ...extra,
});

describe('addToQuarantine and openQuarantine', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-quarantine-app-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds an entry lasting the longest a quarantine may when no expiry is given', () => {
    const added = addToQuarantine(openQuarantine(dir, 'q.yml'), request(), today);
    expect(added).toEqual({
      ok: true,
      value: { ...request(), created: today, expires: '2026-04-09' },
    });
    expect(openQuarantine(dir, 'q.yml').file.tests).toEqual([
      { ...request(), created: today, expires: '2026-04-09' },
    ]);
  });

  // The rule of `quarantine check`: an entry expiring today is already expired.
  it.each([
    ['2026-03-10', false],
    ['2026-03-11', true],
    ['2026-04-09', true],
    ['2026-04-10', false],
    ['2026-03-09', false],
  ])('takes an expiry of %s: %s', (expires, accepted) => {
    const added = addToQuarantine(openQuarantine(dir, 'q.yml'), request({ expires }), today);
    expect(added.ok).toBe(accepted);
    if (!added.ok)
      expect(added.errors).toEqual([
        {
          path: 'expires',
          message: 'must be after today and at most 30 days away (2026-04-09)',
        },
      ]);
  });

  it('names the field of an invalid request, writing nothing', () => {
    const added = addToQuarantine(
      openQuarantine(dir, 'q.yml'),
      request({ issue: 'not a url' }),
      today,
    );
    expect(added).toEqual({ ok: false, errors: [{ path: 'issue', message: 'Invalid URL' }] });
    expect(() => readFileSync(join(dir, 'q.yml'))).toThrow();
  });

  it('refuses a key already quarantined with a conflict', () => {
    addToQuarantine(openQuarantine(dir, 'q.yml'), request(), today);
    expect(() => addToQuarantine(openQuarantine(dir, 'q.yml'), request(), today)).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
  });

  it('names the file, line, column and entry of a bad file', () => {
    writeFileSync(
      join(dir, 'q.yml'),
      'version: 1\ntests:\n  - key: a\n    owner: o\n    reason: r\n    created: 2026-03-10\n    expires: 2026-05-10\n',
    );
    expect(() => openQuarantine(dir, 'q.yml')).toThrow(
      expect.objectContaining({
        code: 'invalid-input',
        message: 'q.yml:7:14: tests[0].expires: at most 30 days after created (2026-04-09)',
      }),
    );
    writeFileSync(join(dir, 'q.yml'), 'version: 1\ntests: [\n');
    expect(() => openQuarantine(dir, 'q.yml')).toThrow(
      expect.objectContaining({
        code: 'invalid-input',
        // A YAML syntax error is placed too: where the unclosed sequence was found to end.
        message: expect.stringMatching(/^q\.yml:3:1: Flow sequence/),
      }),
    );
  });
});
