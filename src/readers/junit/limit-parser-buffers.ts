import type { SaxesParser } from 'saxes';

/** The private buffer in which saxes 6 accumulates one text node, CDATA section or doctype. */
type SaxesBuffers = { text?: unknown };

/**
 * Keeps saxes from holding a whole huge text node (a 500 MB `<system-out>`) in memory: between
 * chunks, a pending text buffer longer than the limit is cut down. candor keeps at most
 * `limit` characters of any text it stores, so nothing it uses is lost; the truncation note counts
 * only what the reader saw after the cut. saxes has no option for this (docs/adr/0004).
 * The conformance test "memory stays bounded" fails if a saxes upgrade renames these fields.
 */
export function limitParserBuffers(parser: SaxesParser, limit: number): void {
  const buffers = parser as unknown as SaxesBuffers;
  const keep = limit * 2;
  if (typeof buffers.text === 'string' && buffers.text.length > keep) {
    buffers.text = buffers.text.slice(0, keep);
  }
}
