import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSecretsFromEnv } from '../../app/delivery/receive-webhook.ts';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import { countDeliveryEvents } from '../../store/repositories/delivery/delivery-event.repository.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { buildServer } from '../build-server.ts';

const now = new Date('2026-11-21T12:00:00.000Z');
const webhooks = join(import.meta.dirname, '../../readers/webhooks');
const fixture = (receiver: string, name: string) =>
  readFileSync(join(webhooks, receiver, '__fixtures__', `${name}.json`), 'utf8');
const env = {
  CANDOR_GITHUB_WEBHOOK_SECRET: 'gh-secret',
  CANDOR_GITLAB_WEBHOOK_TOKEN: 'gl-token',
  CANDOR_PAGERDUTY_WEBHOOK_SECRET: 'pd-secret',
  CANDOR_OPSGENIE_WEBHOOK_TOKEN: 'og-token',
};
const hmac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('hex');

describe.each(testDialects)('POST /api/v1/webhooks/<receiver> on %s', (dialect) => {
  let store: TestStore;
  let app: FastifyInstance;
  let readToken: string;
  const post = (receiver: string, body: string, headers: Record<string, string>, query = '') =>
    app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${receiver}${query}`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    });
  const github = (event: string, body: string, secret = env.CANDOR_GITHUB_WEBHOOK_SECRET) =>
    post('github', body, {
      'x-github-event': event,
      'x-github-delivery': `d-${event}`,
      'x-hub-signature-256': `sha256=${hmac(secret, body)}`,
    });
  const rows = (source: string) =>
    store.db
      .selectFrom('delivery_events')
      .select([
        'id',
        'type',
        'service',
        'environment',
        'commit_sha as commit',
        'deployment',
        'incident',
        'result',
      ])
      .where('source', '=', source)
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    store = await openTestStore(dialect);
    app = await buildServer({
      store,
      bodyLimitBytes: 1024 * 1024,
      logger: false,
      now: () => now,
      webhookSecrets: webhookSecretsFromEnv(env),
    });
    readToken = (
      await createApiToken(store, { name: 'dash', scopes: ['read'], now: now.toISOString() })
    ).secret;
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('stores a GitHub deployment and its status once, however often they are delivered, and DORA counts it', async () => {
    const created = await github('deployment', fixture('github', 'deployment'));
    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({
      receiver: 'github',
      kind: 'deployment',
      accepted: 1,
      ignored: 0,
      stored: 1,
      duplicates: 0,
      conflicts: [],
      errors: [],
    });
    const finished = await github(
      'deployment_status',
      fixture('github', 'deployment_status-success'),
    );
    expect(finished.json()).toMatchObject({ kind: 'deployment_status', stored: 1 });
    const redelivered = await github(
      'deployment_status',
      fixture('github', 'deployment_status-success'),
    );
    expect(redelivered.json()).toMatchObject({ stored: 0, duplicates: 1, conflicts: [] });
    expect(await rows('github/acme/shop')).toEqual([
      {
        id: 'deployment/1234567',
        type: 'deploy_started',
        service: 'shop',
        environment: 'production',
        commit: 'a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d',
        deployment: '1234567',
        incident: null,
        result: null,
      },
      {
        id: 'deployment_status/42000001',
        type: 'deploy_finished',
        service: 'shop',
        environment: 'production',
        commit: 'a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d',
        deployment: '1234567',
        incident: null,
        result: 'success',
      },
    ]);
    const dora = await app.inject({
      method: 'GET',
      url: '/api/v1/dora?service=shop&window=7d',
      headers: { authorization: `Bearer ${readToken}` },
    });
    expect(dora.json()).toMatchObject({ deployments: 1, changeFailureRate: 0 });
  });

  it('answers 200 with ignored: 1 for a kind candor does not record (ping, a status in progress)', async () => {
    const before = await countDeliveryEvents(store.db);
    for (const [event, name] of [
      ['ping', 'ping'],
      ['deployment_status', 'deployment_status-in_progress'],
      ['pull_request', 'pull_request-closed-unmerged'],
    ] as const) {
      const response = await github(event, fixture('github', name));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ kind: event, accepted: 0, ignored: 1, stored: 0 });
    }
    expect(await countDeliveryEvents(store.db)).toBe(before);
  });

  it.each([
    [
      'a signature made with another secret',
      { 'x-hub-signature-256': `sha256=${hmac('wrong', '{}')}` },
    ],
    ['no signature', {}],
    ['the SHA-1 signature only', { 'x-hub-signature': 'sha1=0000' }],
  ])('refuses a GitHub delivery with %s: 401, nothing stored', async (_name, signature) => {
    const before = await countDeliveryEvents(store.db);
    const response = await post('github', fixture('github', 'push'), {
      'x-github-event': 'push',
      ...signature,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: {
        code: 'unauthorized',
        message: 'the delivery is not signed with the github secret (CANDOR_GITHUB_WEBHOOK_SECRET)',
      },
    });
    expect(await countDeliveryEvents(store.db)).toBe(before);
  });

  it('refuses a body changed after GitHub signed it', async () => {
    const body = fixture('github', 'push');
    const response = await post('github', body.replace('Basket model', 'Basket modem'), {
      'x-github-event': 'push',
      'x-hub-signature-256': `sha256=${hmac(env.CANDOR_GITHUB_WEBHOOK_SECRET, body)}`,
    });
    expect(response.statusCode).toBe(401);
  });

  it('stores GitLab deployment, pipeline and merge request hooks with the right token only', async () => {
    const send = (event: string, name: string, token = env.CANDOR_GITLAB_WEBHOOK_TOKEN) =>
      post('gitlab', fixture('gitlab', name), { 'x-gitlab-event': event, 'x-gitlab-token': token });
    expect((await send('Deployment Hook', 'deployment-running', 'not-the-token')).statusCode).toBe(
      401,
    );
    for (const [event, name] of [
      ['Deployment Hook', 'deployment-running'],
      ['Deployment Hook', 'deployment-success'],
      ['Pipeline Hook', 'pipeline-failed'],
      ['Merge Request Hook', 'merge_request-merged'],
    ]) {
      const response = await send(event as string, name as string);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        receiver: 'gitlab',
        kind: event,
        stored: 1,
        errors: [],
      });
    }
    expect((await send('Pipeline Hook', 'pipeline-running')).json()).toMatchObject({ ignored: 1 });
    expect((await rows('gitlab/acme/shop')).map((r) => [r.id, r.type, r.result])).toEqual([
      ['deployment/15/running', 'deploy_started', null],
      ['deployment/15/success', 'deploy_finished', 'success'],
      ['merge_request/99/merged', 'commit_created', null],
      ['pipeline/31/failed', 'tests_failed', null],
    ]);
  });

  it('stores PagerDuty incidents under the service the URL names, and refuses a bad signature', async () => {
    const body = fixture('pagerduty', 'incident.triggered');
    const signed = (secret: string) => ({ 'x-pagerduty-signature': `v1=${hmac(secret, body)}` });
    expect((await post('pagerduty', body, signed('wrong'))).statusCode).toBe(401);
    const response = await post(
      'pagerduty',
      body,
      signed(env.CANDOR_PAGERDUTY_WEBHOOK_SECRET),
      '?service=checkout',
    );
    expect(response.json()).toMatchObject({ kind: 'incident.triggered', stored: 1 });
    const resolved = fixture('pagerduty', 'incident.resolved');
    await post(
      'pagerduty',
      resolved,
      { 'x-pagerduty-signature': `v1=${hmac(env.CANDOR_PAGERDUTY_WEBHOOK_SECRET, resolved)}` },
      '?service=checkout',
    );
    expect((await rows('pagerduty')).map((r) => [r.id, r.type, r.service, r.incident])).toEqual([
      ['incident/Q1ZL7UGXQ0O9M5/resolved', 'incident_resolved', 'checkout', 'Q1ZL7UGXQ0O9M5'],
      ['incident/Q1ZL7UGXQ0O9M5/triggered', 'incident_opened', 'checkout', 'Q1ZL7UGXQ0O9M5'],
    ]);
  });

  it('stores Opsgenie alerts with the shared token, and refuses a wrong one', async () => {
    const body = fixture('opsgenie', 'alert-create');
    expect((await post('opsgenie', body, { 'x-candor-token': 'nope' })).statusCode).toBe(401);
    const response = await post('opsgenie', body, {
      'x-candor-token': env.CANDOR_OPSGENIE_WEBHOOK_TOKEN,
    });
    expect(response.json()).toMatchObject({ kind: 'Create', stored: 1 });
    const acknowledged = await post('opsgenie', fixture('opsgenie', 'alert-acknowledge'), {
      'x-candor-token': env.CANDOR_OPSGENIE_WEBHOOK_TOKEN,
    });
    expect(acknowledged.json()).toMatchObject({ kind: 'Acknowledge', ignored: 1, stored: 0 });
    expect(await rows('opsgenie')).toEqual([
      expect.objectContaining({
        type: 'incident_opened',
        service: 'shop',
        incident: '44f717bf-44bd-11c9-44c7-2d0cf1d07b23',
      }),
    ]);
  });

  it('answers 200 listing a mapped event that is invalid, storing nothing of it', async () => {
    const body = JSON.stringify({
      action: 'created',
      deployment: { id: 99, sha: 'abc', environment: 'production', created_at: 'yesterday' },
      repository: { name: 'shop', full_name: 'acme/shop' },
    });
    const response = await github('deployment', body);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      accepted: 0,
      stored: 0,
      errors: [{ index: 0, path: 'occurredAt', message: 'occurredAt: Invalid ISO datetime' }],
    });
  });

  it.each([
    [
      'an unknown receiver',
      'jira',
      '',
      404,
      'no webhook receiver "jira"; candor receives github, gitlab, pagerduty, opsgenie',
    ],
    [
      'an unknown query parameter',
      'github',
      '?servce=x',
      400,
      'query.servce: unknown parameter; POST /api/v1/webhooks/:receiver takes service, environment',
    ],
  ])('refuses %s before reading the body', async (_name, receiver, query, status, message) => {
    const response = await post(receiver, '{}', {}, query);
    expect(response.statusCode).toBe(status);
    expect(response.json().error.message).toBe(message);
  });

  it('refuses a body that is not JSON (400) and a form-encoded one (415)', async () => {
    const notJson = await github('push', 'payload=%7B%7D');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toEqual({
      code: 'invalid-input',
      message: 'the github delivery is not JSON; send application/json',
    });
    const form = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/github',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push' },
      payload: 'payload=%7B%7D',
    });
    expect(form.statusCode).toBe(415);
    expect(form.json().error.message).toMatch(
      /set the webhook's content type to application\/json/,
    );
  });
});

describe('webhook receivers that are off', () => {
  it('answer 404 naming the variable that turns them on', async () => {
    const store = await openTestStore('sqlite');
    const app = await buildServer({ store, bodyLimitBytes: 1024, logger: false, now: () => now });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/webhooks/pagerduty',
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().error).toEqual({
        code: 'not-found',
        message:
          'the pagerduty webhook receiver is off: set CANDOR_PAGERDUTY_WEBHOOK_SECRET for candor serve',
      });
    } finally {
      await app.close();
      await store.drop();
    }
  });

  it('are on only for the variables set and not blank', () => {
    expect(
      Object.keys(
        webhookSecretsFromEnv({
          CANDOR_GITLAB_WEBHOOK_TOKEN: 't',
          CANDOR_GITHUB_WEBHOOK_SECRET: ' ',
        }),
      ),
    ).toEqual(['gitlab']);
  });
});

describe('webhook bodies', () => {
  it('refuses a body over --events-body-limit with 413 before verifying it, and reads a deep one', async () => {
    const store = await openTestStore('sqlite');
    const app = await buildServer({
      store,
      bodyLimitBytes: 1024,
      eventsBodyLimitBytes: 4096,
      logger: false,
      now: () => now,
      webhookSecrets: { github: 'gh-secret' },
    });
    try {
      const post = (body: string) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/webhooks/github',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'push',
            'x-hub-signature-256': `sha256=${hmac('gh-secret', body)}`,
          },
          payload: body,
        });
      const large = await post(JSON.stringify({ commits: [], padding: 'x'.repeat(5000) }));
      expect(large.statusCode).toBe(413);
      expect(large.json().error.message).toContain('candor serve --events-body-limit');
      // Nested past any schema, within the limit: read without recursion, nothing to record.
      const deep = await post(`{"commits":${'['.repeat(1500)}${']'.repeat(1500)}}`);
      expect(deep.statusCode).toBe(200);
      expect(deep.json()).toMatchObject({ kind: 'push', ignored: 1, stored: 0 });
    } finally {
      await app.close();
      await store.drop();
    }
  });
});
