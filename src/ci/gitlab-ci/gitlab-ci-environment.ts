import type { CiEnvironment } from '../ci-environment.ts';
import { ciVariables, joinDefined } from '../ci-variables.ts';

/** GitLab CI/CD (readme.md beside this file). */
export const gitlabCiEnvironment = {
  id: 'gitlab-ci',
  description: 'GitLab CI/CD (gitlab.com and self-managed)',
  detect: (env) => ciVariables(env)('GITLAB_CI') === 'true',
  read(env) {
    const get = ciVariables(env);
    return {
      repo: get('CI_PROJECT_PATH'),
      branch: get('CI_MERGE_REQUEST_SOURCE_BRANCH_NAME') ?? get('CI_COMMIT_REF_NAME'),
      commitSha: get('CI_COMMIT_SHA'),
      ciJob: get('CI_JOB_NAME'),
      ciAttempt: get('CI_JOB_ID'),
      ciUrl: get('CI_JOB_URL'),
      startedAt: get('CI_JOB_STARTED_AT'),
    };
  },
  readRetryKey(env) {
    // A retried job gets a new CI_JOB_ID in the same pipeline, under the same name.
    const get = ciVariables(env);
    return joinDefined(get('CI_PROJECT_PATH'), get('CI_PIPELINE_ID'), get('CI_JOB_NAME'));
  },
} satisfies CiEnvironment;
