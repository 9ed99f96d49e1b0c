import { describe, expect, it } from 'vitest';
import { runCiEnvironmentConformance } from '../ci-environment-conformance.ts';
import { detectCiEnvironment } from '../ci-environments.ts';
import { githubActionsEnvironment } from './github-actions-environment.ts';

describe('githubActionsEnvironment', () => {
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
      ciUrl: 'https://github.example/acme/shop/actions/runs/99/attempts/2',
    });
  });

  it('ignores empty values', () => {
    expect(detectCiEnvironment({ GITHUB_ACTIONS: 'true', GITHUB_SHA: '' })).toEqual({
      ciProvider: 'github-actions',
    });
  });

  it('names the job alone without a workflow, and links runs on github.com by default', () => {
    expect(
      detectCiEnvironment({
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_REF_NAME: 'main',
        GITHUB_JOB: 'test',
        GITHUB_RUN_ID: '7',
      }),
    ).toStrictEqual({
      ciProvider: 'github-actions',
      repo: 'acme/shop',
      branch: 'main',
      ciJob: 'test',
      ciUrl: 'https://github.com/acme/shop/actions/runs/7',
    });
  });
});

runCiEnvironmentConformance({ environment: githubActionsEnvironment });
