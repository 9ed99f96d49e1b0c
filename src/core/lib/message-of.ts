/**
 * The message of something caught: an `Error`'s message, the `message` string of an error-like
 * object, else the value as text. For wrapping a failure in a `CandorError` message (with the
 * original as `cause`); never branch on it. Never throws.
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { message } = error;
    if (typeof message === 'string') return message;
  }
  try {
    return String(error);
  } catch {
    // An object without a prototype has no string form.
    return Object.prototype.toString.call(error);
  }
}
