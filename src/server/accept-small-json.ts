import type { FastifyInstance } from 'fastify';
import { CandorError } from '../core/lib/candor-error.ts';

/**
 * Lets the routes of this scope take a small JSON request body read whole (a canary start, a
 * watch registration: a few KiB, bounded by `bodyLimit`), refusing one that is not JSON with
 * `invalid-input` (400). Large or streamed bodies use `acceptJsonBody` (read-json-body.ts).
 */
export function acceptSmallJson(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string) as unknown);
      } catch {
        done(new CandorError('invalid-input', 'the body is not JSON'), undefined);
      }
    },
  );
}
