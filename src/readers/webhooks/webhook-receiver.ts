import type { Problem } from '../../core/lib/problem.ts';
import type { Result } from '../../core/lib/result.ts';

/** Request headers by lower-case name, as Node gives them (a repeated header joined by `, `). */
export type WebhookHeaders = Readonly<Record<string, string | undefined>>;

/** What a webhook delivery maps to: its kind, the candor events it says, what was left out. */
export type WebhookMapping = {
  /** The sender's name for what was delivered, e.g. `deployment_status`, `Pipeline Hook`. */
  kind: string;
  /** Candor's event JSON, still to be validated (`parseDeliveryEvent`), each with a source and id. */
  events: readonly unknown[];
  /**
   * Parts of the delivery candor does not record (a kind it does not read, a state it ignores):
   * counted, never an error, so the sender does not retry what can never be recorded.
   */
  ignored: number;
};

/**
 * The contract every webhook receiver implements (one folder per sender beside this file,
 * registered in `webhook-receivers.ts`, checked by `webhook-receiver-conformance.ts`): it checks
 * that a delivery comes from its sender, with a secret the operator sets in the environment
 * variable it names, and maps the delivery's JSON to candor's event JSON. Ids are derived from
 * the sender's own ids (deployment, status, pipeline, incident, log entry), so a redelivery
 * stores nothing new. `candor serve` answers it on `POST /api/v1/webhooks/<id>`.
 */
export type WebhookReceiver = {
  /** The sender's name, equal to its key in `webhookReceivers` and the last segment of its route. */
  readonly id: string;
  /** One line: which sender and which of its events. */
  readonly description: string;
  /** The environment variable holding the secret; unset, the receiver is off (404). */
  readonly secretVariable: string;
  /**
   * True when the request proves it knows `secret` (an HMAC of the raw `body`, or a shared token
   * in a header), compared in constant time. Never throws.
   */
  verify(request: { headers: WebhookHeaders; body: Uint8Array }, secret: string): boolean;
  /**
   * The events of a verified delivery (its parsed JSON `payload`), or the problems that prevent
   * the mapping of a kind it reads (a field it needs is missing), each with the JSON `path`.
   * A kind it does not read maps to no event with `ignored: 1`. Never throws.
   */
  map(delivery: { headers: WebhookHeaders; payload: unknown }): Result<WebhookMapping, Problem>;
};
