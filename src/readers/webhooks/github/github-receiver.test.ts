import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWebhookReceiverConformance } from '../webhook-receiver-conformance.ts';
import { githubReceiver } from './github-receiver.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', `${name}.json`), 'utf8'));
/** The headers GitHub sends with every delivery, but the signature. */
const headers = (event: string) => ({
  'x-github-event': event,
  'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  'x-github-hook-id': '480000001',
  'user-agent': 'GitHub-Hookshot/044aadd',
  'content-type': 'application/json',
});
/** GitHub's signature: `sha256=` and the hex HMAC-SHA256 of the raw body. */
const sign = (body: Uint8Array, secret: string) => ({
  'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
});
const sha = 'a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d';
const common = { source: 'github/acme/shop', service: 'shop' } as const;

describe('githubReceiver', () => {
  it("verifies GitHub's documented example: secret, body and signature", () => {
    // docs.github.com "Validating webhook deliveries": this secret and body give this signature.
    const body = new TextEncoder().encode('Hello, World!');
    const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const request = { headers: { 'x-hub-signature-256': signature }, body };
    expect(githubReceiver.verify(request, "It's a Secret to Everybody")).toBe(true);
    expect(githubReceiver.verify(request, "It's a secret to everybody")).toBe(false);
    const sha1Only = {
      headers: { 'x-hub-signature': 'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59' },
      body,
    };
    expect(githubReceiver.verify(sha1Only, "It's a Secret to Everybody")).toBe(false);
  });

  it('names the missing id of a deployment', () => {
    expect(
      githubReceiver.map({ headers: headers('deployment'), payload: { deployment: {} } }),
    ).toEqual({
      ok: false,
      errors: [
        { path: 'deployment.id', message: 'deployment.id: missing from the deployment delivery' },
      ],
    });
  });

  it('maps a failed or errored deployment status to a failed deploy_finished', () => {
    const delivery = fixture('deployment_status-success') as {
      deployment_status: { state: string };
    };
    delivery.deployment_status.state = 'error';
    const mapped = githubReceiver.map({ headers: headers('deployment_status'), payload: delivery });
    expect(mapped).toMatchObject({
      ok: true,
      value: { events: [{ type: 'deploy_finished', result: 'failure' }] },
    });
  });
});

runWebhookReceiverConformance({
  receiver: githubReceiver,
  samples: {
    sign,
    deliveries: [
      {
        name: 'a deployment created',
        headers: headers('deployment'),
        payload: fixture('deployment'),
        events: [
          {
            type: 'deploy_started',
            id: 'deployment/1234567',
            ...common,
            occurredAt: '2026-11-20T10:00:00Z',
            environment: 'production',
            commit: sha,
            deployment: '1234567',
            attributes: { ref: 'main', task: 'deploy' },
          },
        ],
      },
      {
        name: 'a successful deployment status',
        headers: headers('deployment_status'),
        payload: fixture('deployment_status-success'),
        events: [
          {
            type: 'deploy_finished',
            id: 'deployment_status/42000001',
            ...common,
            occurredAt: '2026-11-20T10:12:30Z',
            environment: 'production',
            commit: sha,
            deployment: '1234567',
            result: 'success',
            attributes: { state: 'success' },
          },
        ],
      },
      {
        name: 'a workflow run completed with success (second attempt)',
        headers: headers('workflow_run'),
        payload: fixture('workflow_run-completed'),
        events: [
          {
            type: 'tests_passed',
            id: 'workflow_run/7001234567/2',
            ...common,
            occurredAt: '2026-11-20T09:52:10Z',
            commit: sha,
            attributes: {
              workflow: 'CI',
              branch: 'main',
              url: 'https://github.com/acme/shop/actions/runs/7001234567',
            },
          },
        ],
      },
      {
        name: 'a pull request closed and merged',
        headers: headers('pull_request'),
        payload: fixture('pull_request-merged'),
        events: [
          {
            type: 'commit_created',
            id: 'pull_request/2100000077/merged',
            ...common,
            occurredAt: '2026-11-20T09:38:59Z',
            commit: sha,
            attributes: {
              pullRequest: '77',
              url: 'https://github.com/acme/shop/pull/77',
              openedAt: '2026-11-19T15:00:00Z',
            },
          },
        ],
      },
      {
        name: 'a push of two commits',
        headers: headers('push'),
        payload: fixture('push'),
        events: [
          {
            type: 'commit_created',
            id: 'commit/5d0b4f1e3c2a1b0f9e8d7c6b5a4f3e2d1c0b9a87',
            ...common,
            occurredAt: '2026-11-19T14:10:00+01:00',
            commit: '5d0b4f1e3c2a1b0f9e8d7c6b5a4f3e2d1c0b9a87',
          },
          {
            type: 'commit_created',
            id: `commit/${sha}`,
            ...common,
            occurredAt: '2026-11-20T10:39:00+01:00',
            commit: sha,
          },
        ],
      },
    ],
    ignored: [
      {
        name: 'the ping sent when the webhook is created',
        headers: headers('ping'),
        payload: fixture('ping'),
      },
      {
        name: 'a deployment status in progress',
        headers: headers('deployment_status'),
        payload: fixture('deployment_status-in_progress'),
      },
      {
        name: 'a workflow run in progress',
        headers: headers('workflow_run'),
        payload: fixture('workflow_run-in_progress'),
      },
      {
        name: 'a pull request closed without merging',
        headers: headers('pull_request'),
        payload: fixture('pull_request-closed-unmerged'),
      },
      {
        name: 'an issues event',
        headers: headers('issues'),
        payload: { action: 'opened', issue: { id: 1 } },
      },
    ],
    unmappable: [
      {
        name: 'a deployment status without its id',
        headers: headers('deployment_status'),
        payload: { deployment_status: { state: 'success' }, deployment: {} },
        message: /deployment_status\.id: missing/,
      },
    ],
  },
});
