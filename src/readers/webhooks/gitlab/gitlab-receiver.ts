import type { Problem } from '../../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../../core/lib/result.ts';
import { headerOf, isSameSecret } from '../verify-signature.ts';
import {
  defined,
  isObject,
  isoTime,
  objectAt,
  pushedCommitEvents,
  textAt,
  type Json,
} from '../webhook-json.ts';
import type { WebhookHeaders, WebhookMapping, WebhookReceiver } from '../webhook-receiver.ts';

const ignored = (kind: string): Result<WebhookMapping, Problem> =>
  ok({ kind, events: [], ignored: 1 });
const mapped = (kind: string, events: Json[]): Result<WebhookMapping, Problem> =>
  ok({ kind, events, ignored: 0 });
const missing = (path: string, kind: string) =>
  fail<Problem>({ path, message: `${path}: missing from the ${kind} delivery` });

/** Pipeline statuses that say the pipeline passed or failed (the others are on the way). */
const pipelineTypes: Record<string, 'tests_passed' | 'tests_failed'> = {
  success: 'tests_passed',
  failed: 'tests_failed',
};

/** The full sha at the end of a deployment's `commit_url` (its payload gives only `short_sha`). */
const shaOfCommitUrl = (url: string | undefined): string | undefined =>
  url === undefined ? undefined : /\/commit\/([0-9a-f]{7,64})\/?$/i.exec(url)?.[1];

/**
 * GitLab webhook deliveries (readme.md beside this file), told apart by `object_kind`: a
 * deployment running → `deploy_started`, success / failed → `deploy_finished` with its result;
 * a pipeline success / failed → `tests_passed` / `tests_failed`; a merge request merged →
 * `commit_created` of its merge commit; a push → a `commit_created` per commit. Source
 * `gitlab/<group>/<project>`, service the project's path, ids from GitLab's own ids. Other kinds
 * and statuses are ignored. Never throws.
 */
function mapGitlab(delivery: {
  headers: WebhookHeaders;
  payload: unknown;
}): Result<WebhookMapping, Problem> {
  const payload = delivery.payload;
  if (!isObject(payload)) return fail({ path: '', message: 'a GitLab delivery is a JSON object' });
  const objectKind = textAt(payload, 'object_kind') ?? '';
  const kind = headerOf(delivery.headers, 'x-gitlab-event') ?? (objectKind || '(no object_kind)');
  const project = objectAt(payload, 'project');
  const path = textAt(project, 'path_with_namespace');
  const common = {
    source: path === undefined ? 'gitlab' : `gitlab/${path}`,
    service: path?.split('/').at(-1) ?? textAt(project, 'name'),
  };
  const attributes = objectAt(payload, 'object_attributes');
  switch (objectKind) {
    case 'deployment': {
      const status = textAt(payload, 'status') ?? '';
      const type =
        status === 'running'
          ? 'deploy_started'
          : status === 'success' || status === 'failed'
            ? 'deploy_finished'
            : undefined;
      if (type === undefined) return ignored(kind);
      const id = textAt(payload, 'deployment_id') ?? textAt(payload, 'deployable_id');
      if (id === undefined) return missing('deployment_id', kind);
      return mapped(kind, [
        defined({
          type,
          id: `deployment/${id}/${status}`,
          ...common,
          occurredAt: isoTime(payload['status_changed_at']),
          environment: textAt(payload, 'environment'),
          commit: shaOfCommitUrl(textAt(payload, 'commit_url')) ?? textAt(payload, 'short_sha'),
          deployment: id,
          result:
            type === 'deploy_finished' ? (status === 'success' ? 'success' : 'failure') : undefined,
          attributes: defined({
            job: textAt(payload, 'deployable_url'),
            ref: textAt(payload, 'ref'),
          }),
        }),
      ]);
    }
    case 'pipeline': {
      const status = textAt(attributes, 'status') ?? '';
      const type = pipelineTypes[status];
      if (type === undefined) return ignored(kind);
      const id = textAt(attributes, 'id');
      if (id === undefined) return missing('object_attributes.id', kind);
      return mapped(kind, [
        defined({
          type,
          id: `pipeline/${id}/${status}`,
          ...common,
          occurredAt: isoTime(attributes['finished_at'] ?? attributes['created_at']),
          commit: textAt(attributes, 'sha'),
          attributes: defined({ ref: textAt(attributes, 'ref'), pipeline: id }),
        }),
      ]);
    }
    case 'merge_request': {
      if (textAt(attributes, 'action') !== 'merge') return ignored(kind);
      const id = textAt(attributes, 'id');
      if (id === undefined) return missing('object_attributes.id', kind);
      return mapped(kind, [
        defined({
          type: 'commit_created',
          id: `merge_request/${id}/merged`,
          ...common,
          occurredAt: isoTime(attributes['merged_at'] ?? attributes['updated_at']),
          commit:
            textAt(attributes, 'merge_commit_sha') ??
            textAt(objectAt(attributes, 'last_commit'), 'id'),
          attributes: defined({
            mergeRequest: textAt(attributes, 'iid'),
            url: textAt(attributes, 'url'),
            openedAt: isoTime(attributes['created_at']),
          }),
        }),
      ]);
    }
    case 'push': {
      const events = pushedCommitEvents(payload, common);
      return events.length === 0 ? ignored(kind) : mapped(kind, events);
    }
    default:
      return ignored(kind);
  }
}

/** GitLab webhooks, authenticated by `X-Gitlab-Token` (readme.md beside this file). */
export const gitlabReceiver = {
  id: 'gitlab',
  description: 'GitLab webhooks: deployment, pipeline, merge request (merged) and push hooks',
  secretVariable: 'CANDOR_GITLAB_WEBHOOK_TOKEN',
  verify({ headers }, secret) {
    const token = headerOf(headers, 'x-gitlab-token');
    return token !== undefined && isSameSecret(token, secret);
  },
  map: mapGitlab,
} satisfies WebhookReceiver;
