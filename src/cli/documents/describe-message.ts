import type { Document } from '../render/renderer.ts';

/** A one-line message (`revoked <id>`, `candor listening on …`) as a document. */
export function describeMessage(text: string): Document {
  return { blocks: [{ kind: 'paragraph', text }] };
}
