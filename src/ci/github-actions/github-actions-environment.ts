import type { CiEnvironment } from '../ci-environment.ts';
import { ciVariables, joinDefined } from '../ci-variables.ts';

/** GitHub Actions (readme.md beside this file). */
export const githubActionsEnvironment = {
  id: 'github-actions',
  description: 'GitHub Actions (github.com and GitHub Enterprise Server)',
  detect: (env) => ciVariables(env)('GITHUB_ACTIONS') === 'true',
  read(env) {
    const get = ciVariables(env);
    const server = get('GITHUB_SERVER_URL') ?? 'https://github.com';
    const workflow = get('GITHUB_WORKFLOW');
    const job = get('GITHUB_JOB');
    return {
      repo: get('GITHUB_REPOSITORY'),
      // On a pull request GITHUB_REF_NAME is `<n>/merge`; the head branch is the one pushed.
      branch: get('GITHUB_HEAD_REF') ?? get('GITHUB_REF_NAME'),
      commitSha: get('GITHUB_SHA'),
      ciJob: workflow && job ? `${workflow}/${job}` : job,
      ciAttempt: get('GITHUB_RUN_ATTEMPT'),
      // The attempt's own page: a rerun's failures are not the first attempt's.
      ciUrl: joinDefined(
        server,
        get('GITHUB_REPOSITORY'),
        'actions/runs',
        get('GITHUB_RUN_ID'),
        ...(get('GITHUB_RUN_ID') && get('GITHUB_RUN_ATTEMPT')
          ? ['attempts', get('GITHUB_RUN_ATTEMPT')]
          : []),
      ),
    };
  },
  eventFile(env) {
    const get = ciVariables(env);
    // Pull request events run on a merge commit (GITHUB_SHA); the payload names the head.
    return get('GITHUB_EVENT_NAME')?.startsWith('pull_request') === true
      ? get('GITHUB_EVENT_PATH')
      : undefined;
  },
  readEvent(payload) {
    const head = (payload as { pull_request?: { head?: { sha?: unknown } } } | null)?.pull_request
      ?.head?.sha;
    return typeof head === 'string' && /^[0-9a-f]{7,64}$/i.test(head) ? { commitSha: head } : {};
  },
  readRetryKey(env) {
    // GITHUB_RUN_ID stays when a job is re-run (GITHUB_RUN_ATTEMPT counts the attempts), and so
    // does GITHUB_ACTION, the step: its `id`, or `__run`, `__run_2`… by its place in the job.
    const get = ciVariables(env);
    const key = joinDefined(
      get('GITHUB_REPOSITORY'),
      get('GITHUB_RUN_ID'),
      get('GITHUB_WORKFLOW'),
      get('GITHUB_JOB'),
    );
    const step = get('GITHUB_ACTION');
    return key === undefined || step === undefined ? key : `${key}/${step}`;
  },
} satisfies CiEnvironment;
