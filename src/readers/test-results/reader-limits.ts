import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';

/**
 * Bounds every reader applies to what it hands on (README "Limits", docs/adr/0004).
 * Identity fields (test name, class name, file, suite path) are capped in bytes of UTF-8 so a
 * test key always fits PostgreSQL's b-tree entry limit (2,704 bytes) on `tests (key, repo)`.
 */
export const readerLimits = {
  /** Test name, class name and file path, each; and the joined suite path. */
  identityBytes: 1_024,
  /** Enclosing suites kept in a suite path. */
  suiteLevels: 32,
  /** Longer durations (7 days, in ms) are not measurements: stored as unknown. */
  durationMs: 7 * 86_400_000,
} as const;

/** Length and SHA-256 (hex) of a value the reader saw only part of (JUnit's trimmed buffers). */
export type FullValue = { length: number; sha256: string };

/**
 * A name, class name or file path as stored: unchanged up to `readerLimits.identityBytes` of
 * UTF-8; longer, its start followed by `… [N characters, #<16 hex digits of the SHA-256 of the
 * full value>]`, so two long names that share their start stay two tests. `full` describes the
 * value when the reader kept only part of it. Never throws.
 */
export function boundIdentity(value: string, full?: FullValue): string {
  const limit = readerLimits.identityBytes;
  if (full === undefined && (value.length * 3 <= limit || Buffer.byteLength(value) <= limit)) {
    return value;
  }
  const length = full?.length ?? value.length;
  const digest = full?.sha256 ?? hash('sha256', value, 'hex');
  return withNote(value, `… [${length} characters, #${digest.slice(0, 16)}]`);
}

/**
 * The enclosing suites of a test, outermost first, bounded: at most `readerLimits.suiteLevels`
 * levels and `readerLimits.identityBytes` joined with " > ". A longer path becomes one element,
 * its start followed by `… [L levels, N characters, #<digest of the full path>]`. Building a path
 * level by level costs the same whatever its depth (200,000 nested suites cost no more per test).
 */
export class SuitePath {
  static readonly root = new SuitePath([], 0, 0, undefined);
  readonly #names: readonly string[];
  readonly #levels: number;
  readonly #characters: number;
  /** Set once the path is over a bound: a digest chained level by level. */
  readonly #digest: string | undefined;
  /** What `names` returns, once asked. */
  #stored: readonly string[] | undefined;

  private constructor(
    names: readonly string[],
    levels: number,
    characters: number,
    digest: string | undefined,
  ) {
    this.#names = names;
    this.#levels = levels;
    this.#characters = characters;
    this.#digest = digest;
  }

  /** The path one level deeper; an empty name adds no level. */
  child(name: string): SuitePath {
    if (name === '') return this;
    const levels = this.#levels + 1;
    const characters = this.#characters + (this.#levels > 0 ? 3 : 0) + name.length;
    if (this.#digest !== undefined) {
      return new SuitePath(
        this.#names,
        levels,
        characters,
        hash('sha256', `${this.#digest}\0${name}`, 'hex'),
      );
    }
    const names = [...this.#names, boundIdentity(name)];
    const joined = names.join(' > ');
    if (
      levels <= readerLimits.suiteLevels &&
      Buffer.byteLength(joined) <= readerLimits.identityBytes
    ) {
      return new SuitePath(names, levels, characters, undefined);
    }
    // Over a bound: keep the levels that fit as one string, and a digest of the whole path.
    const kept = levels > readerLimits.suiteLevels ? this.#names.join(' > ') : joined;
    return new SuitePath([kept], levels, characters, hash('sha256', joined, 'hex'));
  }

  /**
   * The names to store (joined with " > " in keys and the `suite` column): one array per path,
   * shared by every test of the suite (it is read-only, and a copy per test was garbage).
   */
  names(): readonly string[] {
    if (this.#stored !== undefined) return this.#stored;
    if (this.#digest === undefined) return (this.#stored = this.#names);
    const note = `… [${this.#levels} levels, ${this.#characters} characters, #${this.#digest.slice(0, 16)}]`;
    return (this.#stored = [withNote(this.#names[0] ?? '', note)]);
  }

  /** A path from its names, outermost first (CTRF gives them all at once). */
  static of(names: readonly string[]): SuitePath {
    return names.reduce((path, name) => path.child(name), SuitePath.root);
  }
}

/** A duration in milliseconds, or undefined when it is above `readerLimits.durationMs`. */
export function plausibleDurationMs(ms: number | undefined): number | undefined {
  return ms !== undefined && ms <= readerLimits.durationMs ? ms : undefined;
}

/** `value` cut so that it and `note` fit in `readerLimits.identityBytes`, then the note. */
function withNote(value: string, note: string): string {
  const room = readerLimits.identityBytes - Buffer.byteLength(note);
  let head = value.slice(0, room);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  const bytes = Buffer.from(head);
  if (bytes.length <= room) return head + note;
  let cut = room;
  while (cut > 0 && ((bytes[cut] as number) & 0xc0) === 0x80) cut--;
  return bytes.subarray(0, cut).toString('utf8') + note;
}
