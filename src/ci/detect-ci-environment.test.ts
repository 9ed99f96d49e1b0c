import { describe, expect, it } from 'vitest';
import { detectCiEnvironment, repoNameFromRemote } from './detect-ci-environment.ts';

describe('detectCiEnvironment', () => {
  it('reads GitHub Actions, preferring the PR head branch', () => {
    expect(
      detectCiEnvironment({
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_REF_NAME: '12/merge',
        GITHUB_HEAD_REF: 'feature/x',
        GITHUB_SHA: 'abc',
        GITHUB_WORKFLOW: 'ci',
        GITHUB_JOB: 'test',
        GITHUB_RUN_ID: '99',
        GITHUB_RUN_ATTEMPT: '2',
        GITHUB_SERVER_URL: 'https://github.example',
      }),
    ).toEqual({
      ciProvider: 'github-actions',
      repo: 'acme/shop',
      branch: 'feature/x',
      commitSha: 'abc',
      ciJob: 'ci/test',
      ciAttempt: '2',
      ciUrl: 'https://github.example/acme/shop/actions/runs/99',
    });
  });

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

  it('reads Buildkite, CircleCI and Jenkins', () => {
    expect(
      detectCiEnvironment({
        BUILDKITE: 'true',
        BUILDKITE_REPO: 'git@github.com:acme/api.git',
        BUILDKITE_BRANCH: 'b',
        BUILDKITE_COMMIT: 'c1',
        BUILDKITE_LABEL: ':test:',
        BUILDKITE_RETRY_COUNT: '0',
      }),
    ).toMatchObject({
      ciProvider: 'buildkite',
      repo: 'acme/api',
      ciJob: ':test:',
      ciAttempt: '0',
    });
    expect(
      detectCiEnvironment({
        CIRCLECI: 'true',
        CIRCLE_PROJECT_USERNAME: 'acme',
        CIRCLE_PROJECT_REPONAME: 'web',
        CIRCLE_SHA1: 'c2',
        CIRCLE_BRANCH: 'dev',
      }),
    ).toMatchObject({
      ciProvider: 'circleci',
      repo: 'acme/web',
      commitSha: 'c2',
    });
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

  it('returns nothing outside CI and ignores empty values', () => {
    expect(detectCiEnvironment({ PATH: '/bin' })).toEqual({});
    expect(detectCiEnvironment({ GITHUB_ACTIONS: 'true', GITHUB_SHA: '' })).toEqual({
      ciProvider: 'github-actions',
    });
  });
});

describe('repoNameFromRemote', () => {
  it.each([
    ['git@github.com:acme/shop.git', 'acme/shop'],
    ['https://github.com/acme/shop.git', 'acme/shop'],
    ['https://user@gitlab.example.com:8443/group/sub/proj', 'group/sub/proj'],
    ['ssh://git@host:2222/acme/shop.git/', 'acme/shop'],
    ['not a url', undefined],
    [undefined, undefined],
  ])('reads %s as %s', (remote, expected) => {
    expect(repoNameFromRemote(remote)).toBe(expected);
  });
});
