/** Codes of HTTP protocol refusals that have no counterpart outside the server. */
export const httpErrorCodes = ['unsupported-media-type'] as const;
export type HttpErrorCode = (typeof httpErrorCodes)[number];

const statusByHttpCode: Record<HttpErrorCode, number> = {
  'unsupported-media-type': 415,
};

/**
 * A refusal that only makes sense over HTTP (a media type or content encoding the route does not
 * take). Operational failures stay CandorError; the error handler maps both to
 * `{ "error": { "code", "message" } }`.
 */
export class HttpError extends Error {
  readonly code: HttpErrorCode;
  readonly statusCode: number;

  constructor(code: HttpErrorCode, message: string) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.statusCode = statusByHttpCode[code];
  }
}
