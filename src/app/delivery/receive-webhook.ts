import { deploymentEventTypes } from '../../core/delivery/event-kinds.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import type { WebhookQuery, WebhookReceipt } from '../../contracts/webhooks.ts';
import type { WebhookHeaders } from '../../readers/webhooks/webhook-receiver.ts';
import {
  isWebhookReceiverId,
  webhookReceiverIds,
  webhookReceivers,
  webhookSecretsFrom,
  type WebhookReceiverId,
} from '../../readers/webhooks/webhook-receivers.ts';
import type { Store } from '../../store/open-store.ts';
import { recordEvents } from './record-events.ts';

/** The secret of each receiver that is on, by receiver id (`candor serve` reads the environment). */
export type WebhookSecrets = Partial<Record<WebhookReceiverId, string>>;

/** The receivers' secrets from the environment variables they name (README "Webhooks"). */
export function webhookSecretsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): WebhookSecrets {
  return webhookSecretsFrom(env);
}

/**
 * The receiver a request is for, when it is on. Throws CandorError `not-found` for a receiver
 * candor does not have, or one whose secret variable is not set (nothing answers there).
 */
export function findWebhookReceiver(id: string, secrets: WebhookSecrets) {
  if (!isWebhookReceiverId(id)) {
    throw new CandorError(
      'not-found',
      `no webhook receiver "${id}"; candor receives ${webhookReceiverIds.join(', ')}`,
    );
  }
  const receiver = webhookReceivers[id];
  const secret = secrets[id];
  if (secret === undefined) {
    throw new CandorError(
      'not-found',
      `the ${id} webhook receiver is off: set ${receiver.secretVariable} for candor serve`,
    );
  }
  return { receiver, secret };
}

/** UTF-8 text of a body, without a byte order mark. */
const decode = (body: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: false }).decode(body);

/**
 * Receives one webhook delivery: checks its signature (or token) against the receiver's secret,
 * parses its JSON, maps it to candor events and stores the valid ones, idempotently (ids come
 * from the sender's ids, so a redelivery stores nothing new). `query` overrides the service, and
 * the environment of deployment events. A kind the receiver does not read is counted in
 * `ignored`; a mapped event that is invalid is listed in `errors` and not stored, the others are.
 * Throws CandorError `not-found` (no such receiver, or it is off), `unauthorized` (the signature
 * does not match), `invalid-input` (the body is not JSON), `database` through the store.
 */
export async function receiveWebhook(
  store: Store,
  request: {
    receiver: string;
    headers: WebhookHeaders;
    body: Uint8Array;
    query: WebhookQuery;
    secrets: WebhookSecrets;
    receivedAt: string;
  },
): Promise<WebhookReceipt> {
  const { receiver, secret } = findWebhookReceiver(request.receiver, request.secrets);
  if (!receiver.verify({ headers: request.headers, body: request.body }, secret)) {
    throw new CandorError(
      'unauthorized',
      `the delivery is not signed with the ${receiver.id} secret (${receiver.secretVariable})`,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(decode(request.body));
  } catch {
    throw new CandorError(
      'invalid-input',
      `the ${receiver.id} delivery is not JSON; send application/json`,
    );
  }
  const mapped = receiver.map({ headers: request.headers, payload });
  if (!mapped.ok) {
    return {
      receiver: receiver.id,
      kind: '(unreadable)',
      accepted: 0,
      ignored: 0,
      stored: 0,
      duplicates: 0,
      conflicts: [],
      errors: mapped.errors.map((p) => ({ index: 0, path: p.path ?? '', message: p.message })),
    };
  }
  const { service, environment } = request.query;
  const events = mapped.value.events.map((event) => {
    const value = { ...(event as Record<string, unknown>) };
    if (service !== undefined) value['service'] = service;
    const type = value['type'];
    const isDeployment =
      typeof type === 'string' && (deploymentEventTypes as ReadonlySet<string>).has(type);
    if (environment !== undefined && isDeployment) value['environment'] = environment;
    return { value };
  });
  const recorded = await recordEvents(store, events, {
    receivedAt: request.receivedAt,
    atomic: false,
  });
  return {
    receiver: receiver.id,
    kind: mapped.value.kind,
    accepted: recorded.accepted,
    ignored: mapped.value.ignored + recorded.ignored,
    stored: recorded.stored,
    duplicates: recorded.duplicates,
    conflicts: recorded.conflicts.map(({ index, source, id, fields, message }) => ({
      index,
      source,
      id,
      fields,
      message,
    })),
    errors: recorded.errors.map(({ index, path, message }) => ({ index, path, message })),
  };
}
