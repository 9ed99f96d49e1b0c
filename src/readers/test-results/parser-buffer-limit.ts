import { createHash, type Hash } from 'node:crypto';
import type { SaxesParser } from 'saxes';
import type { FullValue } from './reader-limits.ts';

/**
 * The private state of saxes 6: `text` accumulates one text node, CDATA section, doctype or
 * attribute value; `name` holds the attribute's name while its value is read ("" in text).
 */
type SaxesBuffers = { text?: unknown; name?: unknown };

/**
 * Keeps saxes from holding a whole huge text node or attribute (a 500 MB `<system-out>`, a
 * 50 MB `name`) in memory: between chunks, a pending buffer longer than twice the limit is cut
 * down. candor keeps at most `limit` characters of any text it stores, so nothing it uses is
 * lost; the truncation note counts only what the reader saw after the cut.
 * An attribute value that is cut is also hashed as it goes, so a capped test name can still say
 * which full name it was (`fullValue`). saxes has no option for this (docs/adr/0004).
 * The tests "memory stays bounded" and "keeps truncated names distinct" fail if a saxes upgrade
 * renames these fields.
 */
export class ParserBufferLimit {
  readonly #keep: number;
  readonly #cut = new Map<string, { hash: Hash; length: number }>();

  constructor(limit: number) {
    this.#keep = limit * 2;
  }

  /** Call between chunks. */
  apply(parser: SaxesParser): void {
    const buffers = parser as unknown as SaxesBuffers;
    if (typeof buffers.text !== 'string' || buffers.text.length <= this.#keep) return;
    const attribute = typeof buffers.name === 'string' ? buffers.name : '';
    if (attribute !== '') {
      let cut = this.#cut.get(attribute);
      if (cut === undefined) {
        cut = {
          hash: createHash('sha256').update(buffers.text.slice(0, this.#keep)),
          length: this.#keep,
        };
        this.#cut.set(attribute, cut);
      }
      const dropped = buffers.text.slice(this.#keep);
      cut.hash.update(dropped);
      cut.length += dropped.length;
    }
    buffers.text = buffers.text.slice(0, this.#keep);
  }

  /**
   * The full length and SHA-256 of an attribute of the tag just opened, given the value saxes
   * reported; undefined when it was never cut.
   */
  fullValue(attribute: string, value: string): FullValue | undefined {
    const cut = this.#cut.get(attribute);
    if (cut === undefined) return undefined;
    const tail = value.slice(this.#keep);
    return {
      length: cut.length + tail.length,
      sha256: cut.hash.copy().update(tail).digest('hex'),
    };
  }

  /** Call after each opened tag: what was cut belonged to its attributes. */
  forgetAttributes(): void {
    if (this.#cut.size > 0) this.#cut.clear();
  }
}
