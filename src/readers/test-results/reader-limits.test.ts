import { describe, expect, it } from 'vitest';
import { boundIdentity, plausibleDurationMs, readerLimits, SuitePath } from './reader-limits.ts';

const bytes = (text: string) => Buffer.byteLength(text);

describe('boundIdentity', () => {
  it('leaves a name within 1 KiB of UTF-8 as it is', () => {
    for (const name of ['adds', 'x'.repeat(1_024), 'é'.repeat(512)])
      expect(boundIdentity(name)).toBe(name);
  });

  it.each([
    ['ASCII', 'a'],
    ['two-byte', 'é'],
    ['three-byte', '€'],
    ['astral', '𝄞'],
  ])('caps %s text at 1 KiB of UTF-8 without splitting a character', (_name, unit) => {
    const name = unit.repeat(3_000);
    const capped = boundIdentity(name);
    expect(bytes(capped)).toBeLessThanOrEqual(readerLimits.identityBytes);
    expect(bytes(capped)).toBeGreaterThan(readerLimits.identityBytes - 8);
    expect(capped).not.toContain('\uFFFD');
    expect(capped).toMatch(
      new RegExp(`^(${unit})+… \\[${name.length} characters, #[0-9a-f]{16}\\]$`, 'u'),
    );
  });

  it('keeps names that share their first kilobytes distinct, and the same name the same', () => {
    const shared = 'p'.repeat(20_000);
    expect(boundIdentity(`${shared}1`)).not.toBe(boundIdentity(`${shared}2`));
    expect(boundIdentity(`${shared}1`)).toBe(boundIdentity(`${shared}1`));
  });

  it('uses the full value it is told about when it saw only part of it', () => {
    const full = { length: 50_000, sha256: 'ab'.repeat(32) };
    expect(boundIdentity('x'.repeat(16_384), full)).toMatch(
      /… \[50000 characters, #abababababababab\]$/,
    );
  });
});

describe('SuitePath', () => {
  it('keeps a short path as its names, skipping empty ones', () => {
    expect(SuitePath.of(['outer', '', 'inner']).names()).toEqual(['outer', 'inner']);
    expect(SuitePath.root.names()).toEqual([]);
  });

  it('caps a path deeper than 32 levels, saying how deep it was', () => {
    const names = SuitePath.of(Array.from({ length: 200_000 }, () => 's')).names();
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^s( > s){31}… \[200000 levels, 799997 characters, #[0-9a-f]{16}\]$/);
  });

  it('caps a path longer than 1 KiB joined, and keeps two deep paths apart', () => {
    const long = Array.from({ length: 10 }, (_, i) => `${'n'.repeat(200)}${i}`);
    const [a] = SuitePath.of([...long, 'left']).names();
    const [b] = SuitePath.of([...long, 'right']).names();
    expect(bytes(a ?? '')).toBeLessThanOrEqual(readerLimits.identityBytes);
    expect(a).not.toBe(b);
  });
});

describe('plausibleDurationMs', () => {
  it.each([
    [0, 0],
    [1.5, 1.5],
    [7 * 86_400_000, 7 * 86_400_000],
    [7 * 86_400_000 + 1, undefined],
    [1.2e29, undefined],
    [undefined, undefined],
  ])('reads %s ms as %s', (ms, expected) => {
    expect(plausibleDurationMs(ms)).toBe(expected);
  });
});
