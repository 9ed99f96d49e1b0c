import type { CiEnvironment } from '../ci-environment.ts';
import { ciVariables, joinDefined } from '../ci-variables.ts';
import { repoNameFromRemote } from '../repo-name-from-remote.ts';

/** Jenkins, with the Git plugin's variables (readme.md beside this file). */
export const jenkinsEnvironment = {
  id: 'jenkins',
  description: 'Jenkins (freestyle and pipeline jobs, Git plugin variables)',
  detect: (env) => ciVariables(env)('JENKINS_URL') !== undefined,
  read(env) {
    const get = ciVariables(env);
    return {
      repo: repoNameFromRemote(get('GIT_URL')),
      // Multibranch pipelines set BRANCH_NAME; the Git plugin's GIT_BRANCH names the remote too.
      branch: get('BRANCH_NAME') ?? get('GIT_BRANCH')?.replace(/^origin\//, ''),
      commitSha: get('GIT_COMMIT'),
      ciJob: get('JOB_NAME'),
      ciAttempt: get('BUILD_NUMBER'),
      ciUrl: get('BUILD_URL'),
    };
  },
  readRetryKey(env) {
    // A `retry` step stays in the same build; a rebuild is another build number.
    const get = ciVariables(env);
    const build = joinDefined(get('JOB_NAME'), get('BUILD_NUMBER'));
    return build === undefined ? undefined : (joinDefined(build, get('STAGE_NAME')) ?? build);
  },
} satisfies CiEnvironment;
