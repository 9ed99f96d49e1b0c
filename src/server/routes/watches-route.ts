import type { FastifyInstance } from 'fastify';
import {
  listServedWatches,
  registerWatch,
  showWatch,
  type WatchServerSettings,
} from '../../app/watch/served-watches.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';
import { WatchListQuery, WatchRegistration } from '../../contracts/watches.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';
import { acceptSmallJson } from '../accept-small-json.ts';
import { parseWith } from '../parse-with.ts';

/** The largest body of a watch registration: 16 KiB. */
const bodyLimit = 16 * 1024;

/**
 * The post-deploy watches of `candor serve --config candor.yml` (README "Watches in candor
 * serve"): `POST /api/v1/watches` (scope `canary`, the scope of release verdicts) registers one,
 * 201 (a repeat for the same service, environment and deployment answers that one, 200);
 * `GET /api/v1/watches/:id` and `GET /api/v1/watches?service=&state=&limit=` (scope `read`)
 * answer their state, last evaluation, findings and verdict. The scheduler evaluates them.
 * Without a `watch:` section the routes answer 404 saying so.
 */
export async function watchesRoute(
  app: FastifyInstance,
  options: { store: Store; now: () => Date; watches?: WatchServerSettings | undefined },
) {
  const { store, now } = options;
  const settings = () => {
    if (options.watches === undefined)
      throw new CandorError(
        'not-found',
        'watches are off: start candor serve with a candor.yml that has watch: and canary: sections (--config)',
      );
    return options.watches;
  };
  acceptSmallJson(app, bodyLimit);

  app.post(
    '/api/v1/watches',
    { onRequest: requireScope(store, 'canary'), bodyLimit },
    async (request, reply) => {
      const registration = parseWith(WatchRegistration, request.body, 'body');
      const { created, view } = await registerWatch(store, registration, settings(), now());
      return reply.code(created ? 201 : 200).send(view);
    },
  );

  app.get(
    '/api/v1/watches',
    {
      onRequest: requireScope(store, 'read'),
      config: { queryParameters: queryParameters(WatchListQuery) },
    },
    async (request) => {
      settings();
      return listServedWatches(store, parseWith(WatchListQuery, request.query, 'query'));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/watches/:id',
    { onRequest: requireScope(store, 'read') },
    async (request) => {
      settings();
      return showWatch(store, request.params.id);
    },
  );
}
