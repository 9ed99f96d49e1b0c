import { githubReceiver } from './github/github-receiver.ts';
import { gitlabReceiver } from './gitlab/gitlab-receiver.ts';
import { opsgenieReceiver } from './opsgenie/opsgenie-receiver.ts';
import { pagerdutyReceiver } from './pagerduty/pagerduty-receiver.ts';
import type { WebhookReceiver } from './webhook-receiver.ts';

/**
 * Every webhook receiver, by id: `candor serve` answers each on `POST /api/v1/webhooks/<id>`
 * once its secret variable is set. Adding a sender is one folder beside this file and one line
 * here (docs/adr/0011-plugin-families.md, docs/adr/0017-webhook-receivers.md).
 */
export const webhookReceivers = {
  github: githubReceiver,
  gitlab: gitlabReceiver,
  pagerduty: pagerdutyReceiver,
  opsgenie: opsgenieReceiver,
} satisfies Record<string, WebhookReceiver>;

export type WebhookReceiverId = keyof typeof webhookReceivers;
export const webhookReceiverIds = Object.keys(webhookReceivers) as WebhookReceiverId[];

/** True when `value` is the id of a registered webhook receiver. Never throws. */
export function isWebhookReceiverId(value: string): value is WebhookReceiverId {
  return Object.hasOwn(webhookReceivers, value);
}

/**
 * The secret of each receiver whose variable is set (and not blank) in `env`: the receivers
 * `candor serve` turns on. Never throws.
 */
export function webhookSecretsFrom(
  env: Readonly<Record<string, string | undefined>>,
): Partial<Record<WebhookReceiverId, string>> {
  const secrets: Partial<Record<WebhookReceiverId, string>> = {};
  for (const id of webhookReceiverIds) {
    const secret = env[webhookReceivers[id].secretVariable];
    if (secret !== undefined && secret.trim() !== '') secrets[id] = secret;
  }
  return secrets;
}
