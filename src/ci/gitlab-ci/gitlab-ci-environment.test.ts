import { describe, expect, it } from 'vitest';
import { runCiEnvironmentConformance } from '../ci-environment-conformance.ts';
import { detectCiEnvironment } from '../ci-environments.ts';
import { gitlabCiEnvironment } from './gitlab-ci-environment.ts';

describe('gitlabCiEnvironment', () => {
  it('reads GitLab CI', () => {
    expect(
      detectCiEnvironment({
        GITLAB_CI: 'true',
        CI_PROJECT_PATH: 'g/p',
        CI_COMMIT_REF_NAME: 'main',
        CI_COMMIT_SHA: 'def',
        CI_JOB_NAME: 'rspec 1/2',
        CI_JOB_URL: 'https://gl/j/1',
        CI_JOB_ID: '1',
      }),
    ).toMatchObject({
      ciProvider: 'gitlab-ci',
      repo: 'g/p',
      branch: 'main',
      commitSha: 'def',
      ciJob: 'rspec 1/2',
      ciUrl: 'https://gl/j/1',
    });
  });

  it('prefers the source branch of a merge request pipeline', () => {
    expect(
      detectCiEnvironment({
        GITLAB_CI: 'true',
        CI_COMMIT_REF_NAME: 'refs/merge-requests/7/head',
        CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature/y',
      }),
    ).toStrictEqual({ ciProvider: 'gitlab-ci', branch: 'feature/y' });
  });
});

runCiEnvironmentConformance({ environment: gitlabCiEnvironment });
