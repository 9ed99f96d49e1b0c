import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  analyzeFlakyTests,
  streamFlakyReportJson,
  type FlakyQuery as AppFlakyQuery,
} from '../../app/flaky/build-flaky-report.ts';
import { parseCodeowners } from '../../app/flaky/codeowners.ts';
import { proposeQuarantineEntries } from '../../app/quarantine/suggest-quarantine.ts';
import type { QuarantineSuggestions } from '../../contracts/quarantine.ts';
import { CheckoutFiles, FlakyQuery, SuggestionQuery } from '../../contracts/queries.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';
import { toIsoDate } from '../../core/lib/time.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';
import { acceptJsonBody } from '../read-json-body.ts';
import type { Store } from '../../store/open-store.ts';

/**
 * The flaky reads a CI job makes with a `read` token (docs/adr/0019), each on GET (no owners)
 * and POST (a JSON body `{"codeowners": "<the CODEOWNERS text>"}` for the owners, since the
 * CODEOWNERS file lives in the caller's checkout): `/api/v1/flaky` (the JSON of `candor flaky
 * --json`, streamed), `/api/v1/flaky/budget` (`candor flaky budget --json`) and
 * `/api/v1/quarantine/suggestions` (`candor quarantine suggest --json` for a file holding
 * none of them: the caller keeps the ones its file lacks). The query names the flags.
 */
export async function flakyRoute(
  app: FastifyInstance,
  context: { store: Store; now: () => Date; eventsBodyLimitBytes: number },
) {
  const { store, now } = context;
  const flakyParameters = queryParameters(FlakyQuery);
  const read = (
    url: string,
    extraParameters: readonly string[],
    handle: (
      request: FastifyRequest,
      query: AppFlakyQuery,
      reply: FastifyReply,
    ) => Promise<unknown>,
  ) =>
    app.route({
      method: ['GET', 'POST'],
      url,
      onRequest: requireScope(store, 'read'),
      config: { queryParameters: [...flakyParameters, ...extraParameters] },
      preParsing: bodyGuard,
      handler: async (request, reply) => {
        const files = parseWith(CheckoutFiles, request.body ?? {}, 'body');
        const query: AppFlakyQuery = {
          ...parseWith(FlakyQuery, request.query, 'query'),
          now: now(),
          ownersOf: parseCodeowners(files.codeowners),
        };
        return handle(request, query, reply);
      },
    });
  const bodyGuard = acceptJsonBody(app, {
    limitBytes: context.eventsBodyLimitBytes,
    route: 'the flaky reads',
  });

  read('/api/v1/flaky', [], async (_request, query, reply) => {
    const analysis = await analyzeFlakyTests(store, query, { keepRest: true });
    void reply.type('application/json; charset=utf-8');
    return Readable.from(streamFlakyReportJson(store, query, analysis));
  });
  read('/api/v1/flaky/budget', [], async (_request, query) => {
    const report = await analyzeFlakyTests(store, query);
    return { window: report.window, ...report.budget };
  });
  read(
    '/api/v1/quarantine/suggestions',
    queryParameters(SuggestionQuery),
    async (request, query) => {
      const { mode } = parseWith(SuggestionQuery, request.query, 'query');
      const suggestions = await proposeQuarantineEntries(store, {
        flaky: query,
        mode,
        today: toIsoDate(query.now),
      });
      return { suggestions, written: false } satisfies QuarantineSuggestions;
    },
  );
}
