import type { FastifyInstance } from 'fastify';
import { planShards } from '../../app/tests/plan-shards.ts';
import { SplitQuery, SplitUnits } from '../../contracts/queries.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';
import { acceptJsonBody } from '../read-json-body.ts';
import type { Store } from '../../store/open-store.ts';

/** `SplitQuery` without `index`: the answer holds every shard, the caller picks its own. */
const SplitRequest = SplitQuery.omit({ index: true });

/**
 * POST /api/v1/split: the JSON of `candor split --json` (`shards`, `by`, `last`, `window`,
 * `repo` in the query) for the units of the JSON body `{"units": [...]}`.
 */
export async function splitRoute(
  app: FastifyInstance,
  context: { store: Store; now: () => Date; eventsBodyLimitBytes: number },
) {
  const { store, now } = context;
  const route = 'POST /api/v1/split';
  app.post(
    '/api/v1/split',
    {
      onRequest: requireScope(store, 'read'),
      config: { queryParameters: queryParameters(SplitRequest) },
      preParsing: acceptJsonBody(app, { limitBytes: context.eventsBodyLimitBytes, route }),
    },
    async (request) => {
      const query = parseWith(SplitRequest, request.query, 'query');
      const { units } = parseWith(SplitUnits, request.body ?? {}, 'body');
      return planShards(store, { units, query, now: now() });
    },
  );
}
