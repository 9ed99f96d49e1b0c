import type { Document } from './render/renderer.ts';
import { rendererFor } from './render/renderers.ts';

/**
 * Writes a document to a stream with the renderer the output flags ask for (`--markdown`:
 * Markdown, else text). Never throws beyond what the stream throws.
 */
export function writeDocument(
  stream: { write(text: string): unknown },
  document: Document,
  options: { markdown?: boolean | undefined } = {},
): void {
  const text = rendererFor(options).render(document);
  if (text !== '') stream.write(text);
}
