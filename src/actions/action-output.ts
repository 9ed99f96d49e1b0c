/** How much of an action's output is kept: the first and the last half of this many characters. */
export const defaultOutputLimit = 16_384;

/**
 * Collects text up to `limit` characters: the head as it comes, then a rolling tail, so the end
 * of a long log (where the error usually is) survives. Memory stays bounded whatever is written.
 */
export class BoundedOutput {
  readonly #limit: number;
  #head = '';
  #tail = '';
  #dropped = 0;

  constructor(limit = defaultOutputLimit) {
    this.#limit = Math.max(2, limit);
  }

  write(text: string): void {
    const half = Math.floor(this.#limit / 2);
    if (this.#head.length < half) {
      const room = half - this.#head.length;
      this.#head += text.slice(0, room);
      text = text.slice(room);
    }
    if (text === '') return;
    this.#tail += text;
    if (this.#tail.length > half) {
      this.#dropped += this.#tail.length - half;
      this.#tail = this.#tail.slice(-half);
    }
  }

  toString(): string {
    return this.#dropped === 0
      ? this.#head + this.#tail
      : `${this.#head}\n… [${this.#dropped} characters left out] …\n${this.#tail}`;
  }
}

/**
 * The values to hide from output and descriptions: those of the named variables (an action's
 * environment allow-list and its secret variables), at least 4 characters long, longest first so
 * a secret that contains another is hidden whole.
 */
export function secretValues(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): string[] {
  const values = new Set<string>();
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.length >= 4) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** `text` with every secret value replaced by `***`. Never throws. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}
