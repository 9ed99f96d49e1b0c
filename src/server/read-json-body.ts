import type { FastifyInstance, FastifyRequest } from 'fastify';
import { guardBody } from './guard-body.ts';
import { readJsonEvents } from './read-json-events.ts';

/**
 * How much of the JSON body of a read (`POST /api/v1/split`, `/api/v1/verdicts`, the flaky
 * reads) is built: one value, at most 200,000 JSON values (100,000 split units and their keys),
 * nested at most 8 levels.
 */
const readBodyLimits = { maxEvents: 1, maxValues: 200_000, maxDepth: 8 };

/**
 * Lets the routes of this scope take a small JSON body (`application/json`, or none at all):
 * registers the parser, streaming with positioned errors as POST /api/v1/events does, and
 * returns the `preParsing` hook that checks the body's headers and size (the events body limit,
 * `candor serve --events-body-limit`) before a byte is read. The parsed body is the JSON value,
 * or undefined for an empty body.
 */
export function acceptJsonBody(
  app: FastifyInstance,
  options: { limitBytes: number; route: string },
) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    async (request: FastifyRequest, payload: FastifyRequest['raw']) =>
      request.headers['content-length'] === '0'
        ? undefined
        : (await readJsonEvents(payload, readBodyLimits))[0],
  );
  return guardBody({
    limitBytes: options.limitBytes,
    limitFlag: '--events-body-limit',
    route: options.route,
    refuseMediaType: (type) =>
      type === undefined || type === 'application/json'
        ? undefined
        : `${options.route} reads application/json, not ${type}`,
  });
}
