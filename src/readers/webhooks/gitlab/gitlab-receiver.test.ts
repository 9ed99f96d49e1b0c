import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWebhookReceiverConformance } from '../webhook-receiver-conformance.ts';
import { gitlabReceiver } from './gitlab-receiver.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', `${name}.json`), 'utf8'));
/** The headers GitLab sends with every delivery, but the token. */
const headers = (event: string) => ({
  'x-gitlab-event': event,
  'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
  'x-gitlab-instance': 'https://gitlab.example.com',
  'user-agent': 'GitLab/18.6.0',
  'content-type': 'application/json',
});
/** GitLab sends the secret token as it is configured. */
const sign = (_body: Uint8Array, secret: string) => ({ 'x-gitlab-token': secret });
const sha = '279484c09fbe69ededfced8c1bb6e6d24616b468';
const common = { source: 'gitlab/acme/shop', service: 'shop' } as const;

describe('gitlabReceiver', () => {
  it('refuses a token that differs only in case or by a trailing character', () => {
    const body = new Uint8Array();
    expect(gitlabReceiver.verify({ headers: { 'x-gitlab-token': 'S3cret' }, body }, 's3cret')).toBe(
      false,
    );
    expect(
      gitlabReceiver.verify({ headers: { 'x-gitlab-token': 's3cret!' }, body }, 's3cret'),
    ).toBe(false);
    expect(gitlabReceiver.verify({ headers: { 'x-gitlab-token': 's3cret' }, body }, 's3cret')).toBe(
      true,
    );
  });

  it('maps a failed deployment to a failed deploy_finished', () => {
    const delivery = fixture('deployment-success') as { status: string };
    delivery.status = 'failed';
    expect(
      gitlabReceiver.map({ headers: headers('Deployment Hook'), payload: delivery }),
    ).toMatchObject({
      ok: true,
      value: {
        events: [{ type: 'deploy_finished', id: 'deployment/15/failed', result: 'failure' }],
      },
    });
  });
});

runWebhookReceiverConformance({
  receiver: gitlabReceiver,
  samples: {
    sign,
    deliveries: [
      {
        name: 'a deployment running',
        headers: headers('Deployment Hook'),
        payload: fixture('deployment-running'),
        events: [
          {
            type: 'deploy_started',
            id: 'deployment/15/running',
            ...common,
            occurredAt: '2026-11-20T11:00:00+01:00',
            environment: 'production',
            commit: sha,
            deployment: '15',
            attributes: { job: 'https://gitlab.example.com/acme/shop/-/jobs/796', ref: 'main' },
          },
        ],
      },
      {
        name: 'a deployment succeeded',
        headers: headers('Deployment Hook'),
        payload: fixture('deployment-success'),
        events: [
          {
            type: 'deploy_finished',
            id: 'deployment/15/success',
            ...common,
            occurredAt: '2026-11-20T11:09:30+01:00',
            environment: 'production',
            commit: sha,
            deployment: '15',
            result: 'success',
            attributes: { job: 'https://gitlab.example.com/acme/shop/-/jobs/796', ref: 'main' },
          },
        ],
      },
      {
        name: 'a pipeline failed',
        headers: headers('Pipeline Hook'),
        payload: fixture('pipeline-failed'),
        events: [
          {
            type: 'tests_failed',
            id: 'pipeline/31/failed',
            ...common,
            occurredAt: '2026-11-20T09:51:03Z',
            commit: sha,
            attributes: { ref: 'main', pipeline: '31' },
          },
        ],
      },
      {
        name: 'a merge request merged',
        headers: headers('Merge Request Hook'),
        payload: fixture('merge_request-merged'),
        events: [
          {
            type: 'commit_created',
            id: 'merge_request/99/merged',
            ...common,
            occurredAt: '2026-11-20T09:38:59Z',
            commit: sha,
            attributes: {
              mergeRequest: '7',
              url: 'https://gitlab.example.com/acme/shop/-/merge_requests/7',
              openedAt: '2026-11-19T15:00:00Z',
            },
          },
        ],
      },
      {
        name: 'a push of one commit',
        headers: headers('Push Hook'),
        payload: fixture('push'),
        events: [
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
        name: 'a deployment canceled',
        headers: headers('Deployment Hook'),
        payload: fixture('deployment-canceled'),
      },
      {
        name: 'a pipeline still running',
        headers: headers('Pipeline Hook'),
        payload: fixture('pipeline-running'),
      },
      {
        name: 'a merge request opened',
        headers: headers('Merge Request Hook'),
        payload: fixture('merge_request-opened'),
      },
      {
        name: 'an issue hook',
        headers: headers('Issue Hook'),
        payload: { object_kind: 'issue', object_attributes: { id: 301, action: 'open' } },
      },
    ],
    unmappable: [
      {
        name: 'a deployment without its ids',
        headers: headers('Deployment Hook'),
        payload: { object_kind: 'deployment', status: 'success' },
        message: /deployment_id: missing/,
      },
    ],
  },
  skip: [
    {
      reason:
        'GitLab signs nothing: X-Gitlab-Token is a shared token sent as it is, so a changed body keeps it (use HTTPS)',
      tests: ['refuses a body changed after it was signed'],
    },
  ],
});
