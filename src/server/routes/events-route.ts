import type { FastifyInstance } from 'fastify';
import { recordEvents } from '../../app/record-events.ts';
import { CandorError } from '../../core/candor-error.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';

/**
 * POST /api/v1/events: one event object or an array of them (application/json), as candor JSON or
 * CDEvents (bare, CloudEvents structured or binary). All or nothing:
 * 201 with `{accepted, stored, duplicates, conflicts, errors: []}`, or 422 naming each bad event's
 * index and field with nothing stored. Idempotent on (source, id): sending a batch again stores
 * nothing new; a repeat with other content is kept out (first write wins) and listed in
 * `conflicts` with its index and the fields that differ, still with 201.
 */
export async function eventsRoute(
  app: FastifyInstance,
  options: { store: Store; now: () => Date },
) {
  const { store, now } = options;
  // CloudEvents structured mode (one event, or a batch); binary mode arrives as application/json
  // with ce-* headers and the CDEvent as its body, which the default parser already reads.
  app.addContentTypeParser(
    ['application/cloudevents+json', 'application/cloudevents-batch+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch (error) {
        done(
          new CandorError('invalid-input', `body: invalid JSON: ${(error as Error).message}`),
          undefined,
        );
      }
    },
  );
  app.post(
    '/api/v1/events',
    { preHandler: requireScope(store, 'ingest') },
    async (request, reply) => {
      const body = request.body;
      const items = (Array.isArray(body) ? body : [body]).map((value: unknown) => ({ value }));
      const result = await recordEvents(store, items, {
        receivedAt: now().toISOString(),
        atomic: true,
      });
      if (result.errors.length > 0) {
        const first = result.errors[0];
        return reply.code(422).send({
          error: {
            code: 'invalid-event',
            message: `event ${first?.index ?? 0}: ${first?.message ?? 'invalid'}`,
          },
          ...result,
        });
      }
      return reply.code(201).send(result);
    },
  );
}
