import { describe, expect, it } from 'vitest';
import { BloomFilter } from './bloom-filter.ts';

describe('BloomFilter', () => {
  it('always finds what was added', () => {
    const filter = new BloomFilter(16);
    const values = Array.from({ length: 5_000 }, (_, i) => `test-${i}`);
    for (const value of values) filter.add(value);
    expect(values.every((value) => filter.has(value))).toBe(true);
  });

  it('rarely finds what was not added (under 1% at this load)', () => {
    const filter = new BloomFilter(20);
    for (let i = 0; i < 50_000; i++) filter.add(`in-${i}`);
    let falsePositives = 0;
    for (let i = 0; i < 50_000; i++) if (filter.has(`out-${i}`)) falsePositives++;
    expect(falsePositives / 50_000).toBeLessThan(0.01);
  });

  it('finds nothing in an empty filter', () => {
    expect(new BloomFilter(10).has('anything')).toBe(false);
  });
});
