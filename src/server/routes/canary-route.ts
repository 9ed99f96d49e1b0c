import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  checkCanaryAnalysis,
  checkLatestCanaryAnalysis,
  startCanaryAnalysis,
  startOrCheckCanaryAnalysis,
  type CanaryAnalysisView,
  type CanaryServerSettings,
} from '../../app/canary/canary-analyses.ts';
import { CanaryStartRequest, FlaggerWebhook, parseLabelList } from '../../contracts/canary.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import type { Store } from '../../store/open-store.ts';
import { authorizeToken, requireScope } from '../authenticate.ts';
import { acceptSmallJson } from '../accept-small-json.ts';
import { parseWith } from '../parse-with.ts';

/** The largest body of a canary request or Flagger webhook: 64 KiB. */
const bodyLimit = 64 * 1024;

/** Flagger's hooks candor answers (README "Flagger"). */
const flaggerHooks = ['pre-rollout', 'confirm-promotion', 'rollback'] as const;

/**
 * The canary analyses of `candor serve --config candor.yml` (README "Canary analysis"):
 * `POST /api/v1/canaries` (scope `canary`) starts one, 201 (a repeat for the same service,
 * environment and deployment checks that one instead, 200); `GET /api/v1/canaries/:id` (scope
 * `read`) judges it now and answers its verdict (Argo Rollouts' `web` metric provider polls
 * it); `POST /api/v1/canaries/flagger/:hook` answers Flagger's webhooks: `pre-rollout` starts
 * an analysis; `confirm-promotion` is 200 only on promote; `rollback` is 200 only on rollback
 * (Flagger rolls back on 2xx); otherwise 412 with the analysis. Without a `canary:` section
 * every route answers 404 saying so.
 */
export async function canaryRoute(
  app: FastifyInstance,
  options: { store: Store; now: () => Date; canary?: CanaryServerSettings | undefined },
) {
  const { store, now } = options;
  const settings = () => {
    if (options.canary === undefined)
      throw new CandorError(
        'not-found',
        'canary analysis is off: start candor serve with a candor.yml that has a canary: section (--config)',
      );
    return options.canary;
  };
  acceptSmallJson(app, bodyLimit);

  app.post(
    '/api/v1/canaries',
    { onRequest: requireScope(store, 'canary'), bodyLimit },
    async (request, reply) => {
      const start = parseWith(CanaryStartRequest, request.body, 'body');
      const { created, view } = await startOrCheckCanaryAnalysis(store, start, settings(), now());
      return reply.code(created ? 201 : 200).send(view);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/canaries/:id',
    { onRequest: requireScope(store, 'read') },
    async (request) => checkCanaryAnalysis(store, request.params.id, settings(), now()),
  );

  app.post<{ Params: { hook: string } }>(
    '/api/v1/canaries/flagger/:hook',
    { bodyLimit },
    async (request, reply) => {
      const hook = request.params.hook;
      if (!(flaggerHooks as readonly string[]).includes(hook))
        throw new CandorError(
          'not-found',
          `no Flagger hook ${hook}; candor answers ${flaggerHooks.join(', ')}`,
        );
      const body = parseWith(FlaggerWebhook, request.body, 'body');
      const metadata = body.metadata ?? {};
      const header = request.headers.authorization;
      await authorizeToken(
        store,
        header === undefined ? metadata['token'] : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1],
        hook === 'pre-rollout' ? 'canary' : 'read',
      );
      const service = metadata['service'] ?? body.name;
      const environment = metadata['environment'] ?? body.namespace;
      if (hook === 'pre-rollout') {
        const labels = (side: 'baseline' | 'canary') => {
          const parsed = parseLabelList(metadata[side] ?? '');
          if (parsed === undefined)
            throw new CandorError(
              'invalid-input',
              `body.metadata.${side}: expected key=value[,key=value]`,
            );
          return parsed;
        };
        const view = await startCanaryAnalysis(
          store,
          {
            service,
            environment,
            deployment: metadata['deployment'] ?? body.checksum,
            baseline: labels('baseline'),
            canary: labels('canary'),
          },
          settings(),
          now(),
        );
        return reply.code(200).send(view);
      }
      const analysis = metadata['analysis'];
      const view =
        analysis === undefined
          ? await checkLatestCanaryAnalysis(store, service, environment, settings(), now())
          : await checkCanaryAnalysis(store, analysis, settings(), now());
      const passes =
        hook === 'confirm-promotion' ? view.verdict === 'promote' : view.verdict === 'rollback';
      return answer(reply, passes, view);
    },
  );
}

function answer(reply: FastifyReply, passes: boolean, view: CanaryAnalysisView) {
  return reply.code(passes ? 200 : 412).send(view);
}
