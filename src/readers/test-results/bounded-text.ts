import { truncateText } from '../../core/lib/truncate-text.ts';

/** Accumulates text up to a limit and counts what it dropped, so memory stays bounded. */
export class BoundedText {
  #parts: string[] = [];
  #length = 0;
  #dropped = 0;
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  append(text: string): void {
    const room = this.limit - this.#length;
    if (room >= text.length) {
      this.#parts.push(text);
      this.#length += text.length;
      return;
    }
    if (room > 0) {
      this.#parts.push(text.slice(0, room));
      this.#length += room;
    }
    this.#dropped += text.length - Math.max(room, 0);
  }

  /** The kept text, trimmed, with a truncation note when anything was dropped. */
  value(): string {
    const text = this.#parts.join('');
    if (this.#dropped === 0) return text.trim();
    return truncateText(text, this.limit, this.#dropped);
  }
}
