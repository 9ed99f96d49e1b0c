/** An expected outcome: a value, or the reasons there is none. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; errors: E[] };

/** The success of an expected outcome. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** The failure of an expected outcome, with its reasons (problems). */
export function fail<E>(...errors: E[]): { ok: false; errors: E[] } {
  return { ok: false, errors };
}
