import type { Problem } from '../../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../../core/lib/result.ts';
import { headerOf, hmacSha256Hex, isSameSecret } from '../verify-signature.ts';
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

/** The states of a deployment status that finish it, with the result they give. */
const finishingStates: Record<string, 'success' | 'failure'> = {
  success: 'success',
  failure: 'failure',
  error: 'failure',
};

/** The conclusions of a completed workflow run that say the pipeline passed or failed. */
const workflowConclusions: Record<string, 'tests_passed' | 'tests_failed'> = {
  success: 'tests_passed',
  failure: 'tests_failed',
  timed_out: 'tests_failed',
};

/**
 * GitHub webhook deliveries (readme.md beside this file): `deployment` → `deploy_started`;
 * `deployment_status` success / failure / error → `deploy_finished` with its result;
 * `workflow_run` completed → `tests_passed` / `tests_failed` by conclusion; `pull_request` closed
 * and merged → `commit_created` of the merge commit; `push` → a `commit_created` per commit.
 * Source `github/<owner>/<repo>`, service the repository's name, ids from GitHub's own ids.
 * Everything else (other events, actions, states; `ping`) is ignored. Never throws.
 */
function mapGithub(delivery: {
  headers: WebhookHeaders;
  payload: unknown;
}): Result<WebhookMapping, Problem> {
  const kind = headerOf(delivery.headers, 'x-github-event') ?? '(no X-GitHub-Event)';
  const payload = delivery.payload;
  if (!isObject(payload)) return fail({ path: '', message: 'a GitHub delivery is a JSON object' });
  const repository = objectAt(payload, 'repository');
  const fullName = textAt(repository, 'full_name');
  const common = {
    source: fullName === undefined ? 'github' : `github/${fullName}`,
    service: textAt(repository, 'name'),
  };
  const action = textAt(payload, 'action');
  switch (kind) {
    case 'deployment': {
      if (action !== undefined && action !== 'created') return ignored(kind);
      const deployment = objectAt(payload, 'deployment');
      const id = textAt(deployment, 'id');
      if (id === undefined) return missing('deployment.id', kind);
      return mapped(kind, [
        defined({
          type: 'deploy_started',
          id: `deployment/${id}`,
          ...common,
          occurredAt: isoTime(deployment['created_at']),
          environment: textAt(deployment, 'environment'),
          commit: textAt(deployment, 'sha'),
          deployment: id,
          attributes: defined({ ref: textAt(deployment, 'ref'), task: textAt(deployment, 'task') }),
        }),
      ]);
    }
    case 'deployment_status': {
      const status = objectAt(payload, 'deployment_status');
      const deployment = objectAt(payload, 'deployment');
      const result = finishingStates[textAt(status, 'state') ?? ''];
      if (result === undefined) return ignored(kind);
      const id = textAt(status, 'id');
      if (id === undefined) return missing('deployment_status.id', kind);
      return mapped(kind, [
        defined({
          type: 'deploy_finished',
          id: `deployment_status/${id}`,
          ...common,
          occurredAt: isoTime(status['created_at']),
          environment: textAt(status, 'environment') ?? textAt(deployment, 'environment'),
          commit: textAt(deployment, 'sha'),
          deployment: textAt(deployment, 'id'),
          result,
          attributes: defined({ state: textAt(status, 'state') }),
        }),
      ]);
    }
    case 'workflow_run': {
      const run = objectAt(payload, 'workflow_run');
      const type = workflowConclusions[textAt(run, 'conclusion') ?? ''];
      if (action !== 'completed' || type === undefined) return ignored(kind);
      const id = textAt(run, 'id');
      if (id === undefined) return missing('workflow_run.id', kind);
      const attempt = textAt(run, 'run_attempt') ?? '1';
      return mapped(kind, [
        defined({
          type,
          id: `workflow_run/${id}/${attempt}`,
          ...common,
          occurredAt: isoTime(run['updated_at']),
          commit: textAt(run, 'head_sha'),
          attributes: defined({
            workflow: textAt(run, 'name'),
            branch: textAt(run, 'head_branch'),
            url: textAt(run, 'html_url'),
          }),
        }),
      ]);
    }
    case 'pull_request': {
      const pull = objectAt(payload, 'pull_request');
      if (action !== 'closed' || pull['merged'] !== true) return ignored(kind);
      const id = textAt(pull, 'id');
      if (id === undefined) return missing('pull_request.id', kind);
      return mapped(kind, [
        defined({
          type: 'commit_created',
          id: `pull_request/${id}/merged`,
          ...common,
          occurredAt: isoTime(pull['merged_at']),
          commit: textAt(pull, 'merge_commit_sha'),
          attributes: defined({
            pullRequest: textAt(pull, 'number'),
            url: textAt(pull, 'html_url'),
            openedAt: isoTime(pull['created_at']),
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

/** GitHub webhooks, signed with `X-Hub-Signature-256` (readme.md beside this file). */
export const githubReceiver = {
  id: 'github',
  description:
    'GitHub webhooks: deployment, deployment_status, workflow_run, pull_request (merged), push',
  secretVariable: 'CANDOR_GITHUB_WEBHOOK_SECRET',
  verify({ headers, body }, secret) {
    const signature = headerOf(headers, 'x-hub-signature-256');
    if (signature === undefined || !signature.startsWith('sha256=')) return false;
    return isSameSecret(
      signature.slice('sha256='.length).toLowerCase(),
      hmacSha256Hex(secret, body),
    );
  },
  map: mapGithub,
} satisfies WebhookReceiver;
