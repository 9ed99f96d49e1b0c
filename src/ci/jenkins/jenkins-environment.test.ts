import { describe, expect, it } from 'vitest';
import { runCiEnvironmentConformance } from '../ci-environment-conformance.ts';
import { detectCiEnvironment } from '../ci-environments.ts';
import { jenkinsEnvironment } from './jenkins-environment.ts';

describe('jenkinsEnvironment', () => {
  it('reads Jenkins', () => {
    expect(
      detectCiEnvironment({
        JENKINS_URL: 'https://j/',
        GIT_URL: 'https://git.example.com/acme/core.git',
        GIT_BRANCH: 'origin/main',
        GIT_COMMIT: 'c3',
        JOB_NAME: 'core',
      }),
    ).toMatchObject({
      ciProvider: 'jenkins',
      repo: 'acme/core',
      branch: 'main',
    });
  });

  it('prefers the branch of a multibranch pipeline', () => {
    expect(
      detectCiEnvironment({
        JENKINS_URL: 'https://j/',
        BRANCH_NAME: 'PR-12',
        GIT_BRANCH: 'origin/feature/z',
      }),
    ).toStrictEqual({ ciProvider: 'jenkins', branch: 'PR-12' });
  });
});

runCiEnvironmentConformance({ environment: jenkinsEnvironment });
