import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpReceiver } from '../../testing/http-receiver.ts';
import {
  conformanceContext,
  runRollbackActionConformance,
} from '../rollback-action-conformance.ts';
import { RollbackActionConfig, runRollbackAction } from '../rollback-actions.ts';
import { webhookAction } from './webhook-action.ts';

runRollbackActionConformance({
  action: webhookAction,
  samples: async () => {
    const receiver = await startHttpReceiver((request) =>
      request.path === '/fail'
        ? { status: 400, body: 'no such rollout' }
        : request.path === '/echo'
          ? { status: 200, body: `auth was ${request.headers.authorization}` }
          : { status: 200, body: 'rolled back' },
    );
    return {
      working: { kind: 'webhook', url: `${receiver.url}/rollback/{{service}}` },
      failing: { kind: 'webhook', url: `${receiver.url}/fail`, retries: 0 },
      secret: {
        config: {
          kind: 'webhook',
          url: `${receiver.url}/echo`,
          headersFromEnv: { Authorization: 'DEPLOY_TOKEN' },
        },
        name: 'DEPLOY_TOKEN',
        value: 'Bearer s3cr3t-value',
      },
      hasRun: () => receiver.requests.some((r) => r.path === '/rollback/checkout'),
      close: () => receiver.close(),
    };
  },
});

describe('the webhook action', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-webhook-'));
  let statuses: number[] = [];
  let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
  beforeAll(async () => {
    receiver = await startHttpReceiver((request, index) =>
      request.path === '/slow'
        ? { status: 200, delayMs: 2_000 }
        : { status: statuses[index] ?? 200, body: `answer ${index}` },
    );
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (config: Record<string, unknown>, env: Record<string, string> = {}) => {
    receiver.requests.length = 0;
    return await runRollbackAction(
      RollbackActionConfig.parse({
        kind: 'webhook',
        url: `${receiver.url}/hook`,
        retryDelay: '10ms',
        ...config,
      }),
      conformanceContext(dir, env),
      new AbortController().signal,
    );
  };

  it('sends the rollback as JSON by default and signs the exact body', async () => {
    statuses = [];
    const outcome = await run({ secretEnv: 'HOOK_SECRET' }, { HOOK_SECRET: 'k3y-for-hmac' });
    expect(outcome).toMatchObject({ result: 'success', message: 'HTTP 200' });
    const [request] = receiver.requests;
    expect(JSON.parse(request!.body)).toEqual({
      service: 'checkout',
      environment: 'production',
      deployment: 'd-1',
      reason: 'test',
      purpose: 'rollback',
    });
    const expected = `sha256=${createHmac('sha256', 'k3y-for-hmac').update(request!.body).digest('hex')}`;
    expect(request!.headers['x-candor-signature-256']).toBe(expected);
  });

  it('fills a body template', async () => {
    statuses = [];
    await run({ method: 'PUT', body: { ref: 'rollback-{{deployment}}', keep: [1, true] } });
    expect(receiver.requests[0]).toMatchObject({
      method: 'PUT',
      body: JSON.stringify({ ref: 'rollback-d-1', keep: [1, true] }),
    });
  });

  it('retries a 503 with backoff and reports the attempts', async () => {
    statuses = [503, 502, 200];
    const outcome = await run({ retries: 2 });
    expect(outcome).toMatchObject({ result: 'success', message: 'HTTP 200 after 3 attempts' });
    expect(receiver.requests).toHaveLength(3);
  });

  it('gives up after the bounded retries', async () => {
    statuses = [500, 500, 500, 500];
    const outcome = await run({ retries: 1 });
    expect(outcome.result).toBe('failure');
    expect(outcome.message).toContain('gave up after 2 attempts');
    expect(receiver.requests).toHaveLength(2);
  });

  it('never retries a 4xx other than 429', async () => {
    statuses = [404, 200];
    const outcome = await run({ retries: 3 });
    expect(outcome).toMatchObject({ result: 'failure', message: 'HTTP 404' });
    expect(receiver.requests).toHaveLength(1);
  });

  it('times out each attempt', async () => {
    const outcome = await run({ url: `${receiver.url}/slow`, timeout: '200ms', retries: 0 });
    expect(outcome.result).toBe('failure');
    expect(outcome.message).toContain('timed out after 0.2s');
  });

  it('is a failure, not a throw, when nothing listens', async () => {
    const outcome = await run({ url: 'http://127.0.0.1:9/x', retries: 0 });
    expect(outcome.result).toBe('failure');
    expect(outcome.message).toContain('cannot reach http://127.0.0.1:9');
  });

  it('says which variable is missing instead of sending an unsigned request', async () => {
    const outcome = await run({ secretEnv: 'NOT_SET_ANYWHERE' });
    expect(outcome).toMatchObject({
      result: 'failure',
      message: 'secretEnv: environment variable NOT_SET_ANYWHERE is not set',
    });
    expect(receiver.requests).toHaveLength(0);
  });
});
