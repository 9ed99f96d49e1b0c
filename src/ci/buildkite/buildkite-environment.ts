import type { CiEnvironment } from '../ci-environment.ts';
import { ciVariables, joinDefined } from '../ci-variables.ts';
import { repoNameFromRemote } from '../repo-name-from-remote.ts';

/** Buildkite (readme.md beside this file). */
export const buildkiteEnvironment = {
  id: 'buildkite',
  description: 'Buildkite agents',
  detect: (env) => ciVariables(env)('BUILDKITE') === 'true',
  read(env) {
    const get = ciVariables(env);
    return {
      repo: repoNameFromRemote(get('BUILDKITE_REPO')) ?? get('BUILDKITE_PIPELINE_SLUG'),
      branch: get('BUILDKITE_BRANCH'),
      commitSha: get('BUILDKITE_COMMIT'),
      ciJob: get('BUILDKITE_STEP_KEY') ?? get('BUILDKITE_LABEL'),
      ciAttempt: get('BUILDKITE_RETRY_COUNT'),
      ciUrl: get('BUILDKITE_BUILD_URL'),
    };
  },
  readRetryKey(env) {
    // A retried job gets a new BUILDKITE_JOB_ID in the same build and step.
    const get = ciVariables(env);
    return joinDefined(
      get('BUILDKITE_BUILD_ID'),
      get('BUILDKITE_STEP_ID') ?? get('BUILDKITE_STEP_KEY'),
    );
  },
} satisfies CiEnvironment;
