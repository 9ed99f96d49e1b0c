/**
 * A fixed-size Bloom filter over strings: `has` may say yes for a string never added (rarely),
 * never no for one that was. Used to skip database look-ups for test ids not yet seen in a report.
 * Default 2^24 bits (2 MiB), 4 hashes: about 0.25% false positives after a million strings.
 */
export class BloomFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;

  constructor(log2Bits = 24) {
    this.#bits = new Uint32Array(2 ** (log2Bits - 5));
    this.#mask = 2 ** log2Bits - 1;
  }

  add(value: string): void {
    const [h1, h2] = hashPair(value);
    for (let i = 0; i < 4; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      this.#bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  has(value: string): boolean {
    const [h1, h2] = hashPair(value);
    for (let i = 0; i < 4; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      if ((this.#bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** Two FNV-1a variants, combined by double hashing (Kirsch and Mitzenmacher). */
function hashPair(value: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return [h1, h2 | 1];
}
