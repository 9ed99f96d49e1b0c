import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { DurationText } from '../../core/lib/parse-duration.ts';
import { fillJsonTemplate, fillTemplate } from '../../core/release/fill-template.ts';
import { BoundedOutput, redact, secretValues } from '../action-output.ts';
import {
  defineRollbackAction,
  type ActionContext,
  type ActionOutcome,
} from '../rollback-action.ts';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);

const WebhookConfig = z.strictObject({
  kind: z.literal('webhook'),
  url: z.string().min(1),
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  /** Literal headers (placeholders filled); never put a secret here: use `headersFromEnv`. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Headers whose values are read from environment variables: `{ Authorization: DEPLOY_TOKEN }`. */
  headersFromEnv: z.record(z.string(), envName).default({}),
  /** A JSON body; every string in it may hold placeholders. Default: the rollback's values. */
  body: z.unknown().optional(),
  timeout: DurationText.default(10_000),
  /** Further attempts after a network error, a timeout, a 429 or a 5xx (never after another 4xx). */
  retries: z.number().int().min(0).max(10).default(2),
  /** Wait before the first retry; doubled before each next one. */
  retryDelay: DurationText.default(1_000),
  /** An environment variable holding the HMAC-SHA256 key; the signature goes in `signatureHeader`. */
  secretEnv: envName.optional(),
  signatureHeader: z.string().default('X-Candor-Signature-256'),
});
type WebhookConfig = z.output<typeof WebhookConfig>;

type Request = { url: string; body: string; headers: Record<string, string> };

function buildRequest(
  config: WebhookConfig,
  context: ActionContext,
): { ok: true; value: Request } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const url = fillTemplate(config.url, context.values);
  if (!url.ok) errors.push(...url.errors.map((e) => `url: ${e}`));
  const { values } = context;
  const body = fillJsonTemplate(config.body ?? { ...values }, values);
  if (!body.ok) errors.push(...body.errors.map((e) => `body: ${e}`));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'candor',
  };
  for (const [name, value] of Object.entries(config.headers)) {
    const filled = fillTemplate(value, values);
    if (filled.ok) headers[name] = filled.value;
    else errors.push(...filled.errors.map((e) => `headers.${name}: ${e}`));
  }
  for (const [name, variable] of Object.entries(config.headersFromEnv)) {
    const value = context.env[variable];
    if (value === undefined)
      errors.push(`headersFromEnv.${name}: environment variable ${variable} is not set`);
    else headers[name] = value;
  }
  if (config.secretEnv !== undefined && context.env[config.secretEnv] === undefined)
    errors.push(`secretEnv: environment variable ${config.secretEnv} is not set`);
  if (errors.length > 0 || !url.ok || !body.ok) return { ok: false, errors };
  try {
    new URL(url.value);
  } catch {
    return { ok: false, errors: [`url: not a URL: ${url.value}`] };
  }
  const text = JSON.stringify(body.value);
  if (config.secretEnv !== undefined) {
    const key = context.env[config.secretEnv] ?? '';
    headers[config.signatureHeader] =
      `sha256=${createHmac('sha256', key).update(text).digest('hex')}`;
  }
  return { ok: true, value: { url: url.value, body: text, headers } };
}

function secretsOf(config: WebhookConfig, context: ActionContext): string[] {
  return secretValues(context.env, [
    ...Object.values(config.headersFromEnv),
    ...(config.secretEnv !== undefined ? [config.secretEnv] : []),
  ]);
}

const retryable = (status: number) => status === 429 || status >= 500;

/** Calls an HTTP endpoint with a JSON body, a timeout, bounded retries and an HMAC signature. */
export const webhookAction = defineRollbackAction({
  id: 'webhook',
  description:
    'calls an HTTP endpoint: JSON body template, timeout, bounded retries, HMAC-SHA256 signature',
  dryRun: false,
  config: WebhookConfig,
  describe(config, context) {
    const request = buildRequest(config, context);
    if (!request.ok) return request.errors.map((e) => `error: ${e}`);
    const secrets = secretsOf(config, context);
    return [
      `${config.method} ${redact(request.value.url, secrets)}`,
      `body ${redact(request.value.body, secrets)}`,
      `timeout ${config.timeout / 1000}s, up to ${config.retries} retries${config.secretEnv ? `, signed in ${config.signatureHeader}` : ''}`,
    ];
  },
  async run(config, context, signal): Promise<ActionOutcome> {
    const request = buildRequest(config, context);
    if (!request.ok) return { result: 'failure', message: request.errors.join('; '), output: '' };
    const secrets = secretsOf(config, context);
    let last = '';
    let delay = config.retryDelay;
    for (let attempt = 1; attempt <= config.retries + 1; attempt++) {
      if (signal.aborted)
        return { result: 'failure', message: `stopped after ${attempt - 1} attempts`, output: '' };
      const output = new BoundedOutput(4_096);
      try {
        const response = await fetch(request.value.url, {
          method: config.method,
          headers: request.value.headers,
          body: request.value.body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(config.timeout)]),
          redirect: 'error',
        });
        output.write(await response.text());
        const answer = redact(output.toString(), secrets);
        const attempts = attempt === 1 ? '' : ` after ${attempt} attempts`;
        if (response.ok)
          return {
            result: 'success',
            message: `HTTP ${response.status}${attempts}`,
            output: answer,
          };
        last = `HTTP ${response.status}${attempts}`;
        if (!retryable(response.status))
          return { result: 'failure', message: last, output: answer };
      } catch (error) {
        const name = (error as Error).name;
        last =
          name === 'TimeoutError'
            ? `timed out after ${config.timeout / 1000}s`
            : signal.aborted
              ? 'stopped'
              : `cannot reach ${redact(new URL(request.value.url).origin, secrets)}: ${redact(String((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message), secrets)}`;
        if (signal.aborted) return { result: 'failure', message: last, output: '' };
        last += attempt === 1 ? '' : ` (attempt ${attempt})`;
      }
      if (attempt <= config.retries) {
        try {
          await sleep(delay, undefined, { signal });
        } catch {
          return {
            result: 'failure',
            message: `stopped after ${attempt} attempts: ${last}`,
            output: '',
          };
        }
        delay *= 2;
      }
    }
    return {
      result: 'failure',
      message:
        config.retries === 0 ? last : `${last}; gave up after ${config.retries + 1} attempts`,
      output: '',
    };
  },
});
