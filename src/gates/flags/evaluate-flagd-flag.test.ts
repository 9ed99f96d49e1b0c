import { describe, expect, it } from 'vitest';
import { FlagdFlag } from '../../actions/flag/read-flagd-file.ts';
import { isVariantOn, murmur3, resolveFlagdFlag } from './evaluate-flagd-flag.ts';

const now = new Date('2026-12-02T12:00:00Z');
const flag = (value: Record<string, unknown>) => FlagdFlag.parse(value);
const colours = { variants: { red: 'red', blue: 'blue', off: '' }, defaultVariant: 'off' };

describe('murmur3', () => {
  it.each([
    ['', 0],
    ['hello', 0x248bfa47],
    ['The quick brown fox jumps over the lazy dog', 0x2e4ff723],
  ])('hashes %j as MurmurHash3 x86 32 with seed 0', (text, hash) => {
    expect(murmur3(text)).toBe(hash);
  });
});

describe('resolveFlagdFlag', () => {
  it('returns the default variant without targeting, and nothing for a disabled flag', () => {
    expect(resolveFlagdFlag('f', flag(colours), {}, {}, now)).toEqual({
      kind: 'variant',
      variant: 'off',
      reason: 'STATIC',
    });
    expect(resolveFlagdFlag('f', flag({ ...colours, state: 'DISABLED' }), {}, {}, now)).toEqual({
      kind: 'none',
      reason: 'DISABLED',
    });
  });

  it('evaluates targeting with the custom operations and $flagd data', () => {
    const targeting = {
      if: [
        { ends_with: [{ var: 'email' }, '@acme.com'] },
        'red',
        { sem_ver: [{ var: 'version' }, '>=', '2.1.0'] },
        'blue',
        { '==': [{ var: '$flagd.flagKey' }, 'f'] },
        null,
        'red',
      ],
    };
    const f = flag({ ...colours, targeting });
    expect(resolveFlagdFlag('f', f, {}, { email: 'a@acme.com' }, now)).toMatchObject({
      variant: 'red',
      reason: 'TARGETING_MATCH',
    });
    expect(resolveFlagdFlag('f', f, {}, { version: 'v2.3.0' }, now)).toMatchObject({
      variant: 'blue',
    });
    // null: the default variant.
    expect(resolveFlagdFlag('f', f, {}, {}, now)).toMatchObject({
      variant: 'off',
      reason: 'DEFAULT',
    });
    expect(resolveFlagdFlag('g', f, {}, {}, now)).toMatchObject({ variant: 'red' });
  });

  it('resolves $ref to shared evaluators, and a result that is no variant is an error', () => {
    const f = flag({ ...colours, targeting: { if: [{ $ref: 'staff' }, 'red', 'green'] } });
    const evaluators = { staff: { starts_with: [{ var: 'email' }, 'admin@'] } };
    expect(resolveFlagdFlag('f', f, evaluators, { email: 'admin@x' }, now)).toMatchObject({
      variant: 'red',
    });
    expect(resolveFlagdFlag('f', f, evaluators, {}, now)).toMatchObject({
      kind: 'none',
      reason: 'ERROR',
      detail: 'targeting returned "green", not a variant',
    });
  });

  it('buckets fractional by flag key and targeting key, the same way every time', () => {
    const f = flag({
      ...colours,
      targeting: {
        fractional: [
          ['red', 50],
          ['blue', 50],
        ],
      },
    });
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const resolved = resolveFlagdFlag('f', f, {}, { targetingKey: `user-${i}` }, now);
      if (resolved.kind === 'variant') seen.add(resolved.variant);
      expect(resolveFlagdFlag('f', f, {}, { targetingKey: `user-${i}` }, now)).toEqual(resolved);
    }
    expect([...seen].sort()).toEqual(['blue', 'red']);
    const all = flag({ ...colours, targeting: { fractional: [{ var: 'email' }, ['red', 100]] } });
    expect(resolveFlagdFlag('f', all, {}, { email: 'x' }, now)).toMatchObject({ variant: 'red' });
  });
});

describe('isVariantOn', () => {
  it.each([
    ['on', true, true],
    ['x', false, false],
    ['x', 0, false],
    ['x', 0.5, true],
    ['x', '', false],
    ['x', 'Disabled', false],
    ['x', 'blue', true],
    ['x', null, false],
    ['x', {}, false],
    ['x', { enabled: false, colour: 'red' }, false],
    ['x', { colour: 'red' }, true],
    ['x', [], false],
    ['off', true, false],
  ])('variant %s with value %j is on: %s', (name, value, on) => {
    expect(isVariantOn(name, value, ['off'])).toBe(on);
  });
});
