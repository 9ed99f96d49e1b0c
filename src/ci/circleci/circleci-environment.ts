import type { CiEnvironment } from '../ci-environment.ts';
import { ciVariables, joinDefined } from '../ci-variables.ts';
import { repoNameFromRemote } from '../repo-name-from-remote.ts';

/** CircleCI (readme.md beside this file). */
export const circleciEnvironment = {
  id: 'circleci',
  description: 'CircleCI (cloud and server)',
  detect: (env) => ciVariables(env)('CIRCLECI') === 'true',
  read(env) {
    const get = ciVariables(env);
    return {
      repo:
        joinDefined(get('CIRCLE_PROJECT_USERNAME'), get('CIRCLE_PROJECT_REPONAME')) ??
        repoNameFromRemote(get('CIRCLE_REPOSITORY_URL')),
      branch: get('CIRCLE_BRANCH'),
      commitSha: get('CIRCLE_SHA1'),
      ciJob: get('CIRCLE_JOB'),
      ciAttempt: get('CIRCLE_BUILD_NUM'),
      ciUrl: get('CIRCLE_BUILD_URL'),
    };
  },
  readRetryKey(env) {
    // A workflow re-run from failed keeps its workspace id; CIRCLE_WORKFLOW_ID is new.
    const get = ciVariables(env);
    return joinDefined(
      get('CIRCLE_WORKFLOW_WORKSPACE_ID') ?? get('CIRCLE_WORKFLOW_ID'),
      get('CIRCLE_JOB'),
    );
  },
} satisfies CiEnvironment;
