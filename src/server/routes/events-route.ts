import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordEvents } from '../../app/delivery/record-events.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';
import { guardBody } from '../guard-body.ts';
import { eventBodyLimits, readJsonEvents } from '../read-json-events.ts';

/**
 * The media types POST /api/v1/events reads. CloudEvents binary mode arrives as
 * application/json with ce-* headers and the CDEvent as its body, read like any event.
 */
export const eventMediaTypes = [
  'application/json',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
] as const;

/**
 * POST /api/v1/events: one event object or an array of them, as candor JSON or CDEvents (bare,
 * CloudEvents structured, batch or binary). All or nothing: 201 with
 * `{accepted, ignored, stored, duplicates, conflicts, errors: []}`, or 422 naming each bad
 * event's index and field with nothing stored. A CDEvents type candor does not map is no error:
 * it is counted in `ignored` (a broker forwarding every CDEvent is never refused). Idempotent on (source, id): sending a batch again stores nothing
 * new; a repeat with other content is kept out (first write wins) and listed in `conflicts` with
 * its index and the fields that differ, still with 201.
 * The token is checked before the body is read; the body is parsed streaming within
 * `eventsBodyLimitBytes` and `eventBodyLimits` (413 or 400 past them, 415 for another media type).
 */
export async function eventsRoute(
  app: FastifyInstance,
  options: { store: Store; now: () => Date; eventsBodyLimitBytes: number },
) {
  const { store, now } = options;
  app.removeAllContentTypeParsers();
  // `payload` is the counted stream guardBody returned, not the raw request.
  app.addContentTypeParser(
    [...eventMediaTypes],
    async (_request: FastifyRequest, payload: FastifyRequest['raw']) =>
      readJsonEvents(payload, eventBodyLimits),
  );
  app.post(
    '/api/v1/events',
    {
      onRequest: requireScope(store, 'ingest'),
      preParsing: guardBody({
        limitBytes: options.eventsBodyLimitBytes,
        limitFlag: '--events-body-limit',
        route: 'POST /api/v1/events',
        refuseMediaType: (type) =>
          type !== undefined && (eventMediaTypes as readonly string[]).includes(type)
            ? undefined
            : `${type === undefined ? 'the request has no Content-Type' : `Content-Type ${type} is not accepted`}; send the events as ${eventMediaTypes.join(', ')}`,
      }),
    },
    async (request, reply) => {
      // Always an array from readJsonEvents; the guard refuses a request without a body type.
      const events: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
      const result = await recordEvents(
        store,
        events.map((value) => ({ value })),
        { receivedAt: now().toISOString(), atomic: true },
      );
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
