/** Codes for operational failures. Each entry point maps them to an exit code or HTTP status. */
export const candorErrorCodes = [
  'usage',
  'not-found',
  'unauthorized',
  'forbidden',
  'conflict',
  'invalid-input',
  'payload-too-large',
  /** A read would need more memory than this process has: narrow it, or give Node a larger heap. */
  'limit-exceeded',
  'database',
  'io',
  'internal',
] as const;
export type CandorErrorCode = (typeof candorErrorCodes)[number];

/** The one error class candor throws for operational failures; never branch on its message. */
export class CandorError extends Error {
  readonly code: CandorErrorCode;

  constructor(code: CandorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CandorError';
    this.code = code;
  }
}

/** True for a `CandorError` (an operational failure with a code); false for anything else. */
export function isCandorError(error: unknown): error is CandorError {
  return error instanceof CandorError;
}
