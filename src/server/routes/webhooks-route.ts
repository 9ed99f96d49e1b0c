import type { FastifyInstance } from 'fastify';
import {
  findWebhookReceiver,
  receiveWebhook,
  type WebhookSecrets,
} from '../../app/delivery/receive-webhook.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';
import { WebhookQuery } from '../../contracts/webhooks.ts';
import type { Store } from '../../store/open-store.ts';
import { guardBody } from '../guard-body.ts';
import { parseWith } from '../parse-with.ts';

type Params = { receiver: string };

/**
 * POST /api/v1/webhooks/:receiver (README "Webhooks"): a delivery from GitHub, GitLab, PagerDuty
 * or Opsgenie, authenticated by its sender's signature or token (no candor token: senders cannot
 * send one), with the secret from the environment variable the receiver names. 200 with the
 * receipt for every verified delivery, ignored kinds and invalid events included (a sender
 * retries anything else); 401 for a wrong signature; 404 for a receiver that does not exist or
 * is off; 400 for a body that is not JSON or an unknown query parameter; 413 and 415 as for
 * events. The receiver and its switch are checked before the body is read.
 */
export async function webhooksRoute(
  app: FastifyInstance,
  options: {
    store: Store;
    now: () => Date;
    eventsBodyLimitBytes: number;
    webhookSecrets: WebhookSecrets;
  },
) {
  const { store, now, webhookSecrets } = options;
  app.removeAllContentTypeParsers();
  // The signature is over the raw bytes: the body is kept as sent and parsed after the check.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: options.eventsBodyLimitBytes },
    (_request, body, done) => {
      done(null, body);
    },
  );
  app.post<{ Params: Params }>(
    '/api/v1/webhooks/:receiver',
    {
      config: { queryParameters: queryParameters(WebhookQuery) },
      bodyLimit: options.eventsBodyLimitBytes,
      onRequest: async (request) => {
        findWebhookReceiver(request.params.receiver, webhookSecrets);
        parseWith(WebhookQuery, request.query, 'query');
      },
      preParsing: guardBody({
        limitBytes: options.eventsBodyLimitBytes,
        limitFlag: '--events-body-limit',
        route: 'POST /api/v1/webhooks',
        refuseMediaType: (type) =>
          type === 'application/json'
            ? undefined
            : `${type === undefined ? 'the request has no Content-Type' : `Content-Type ${type} is not accepted`}; set the webhook's content type to application/json`,
      }),
    },
    async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const receipt = await receiveWebhook(store, {
        receiver: request.params.receiver,
        headers: request.headers as Record<string, string | undefined>,
        body,
        query: parseWith(WebhookQuery, request.query, 'query'),
        secrets: webhookSecrets,
        receivedAt: now().toISOString(),
      });
      if (receipt.errors.length > 0) {
        request.log.warn(
          { receiver: receipt.receiver, kind: receipt.kind, errors: receipt.errors },
          'webhook events not stored',
        );
      }
      return reply.code(200).send(receipt);
    },
  );
}
