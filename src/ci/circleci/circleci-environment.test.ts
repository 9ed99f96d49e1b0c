import { describe, expect, it } from 'vitest';
import { runCiEnvironmentConformance } from '../ci-environment-conformance.ts';
import { detectCiEnvironment } from '../ci-environments.ts';
import { circleciEnvironment } from './circleci-environment.ts';

describe('circleciEnvironment', () => {
  it('reads CircleCI', () => {
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
  });

  it('reads the repository from its URL without the project variables', () => {
    expect(
      detectCiEnvironment({
        CIRCLECI: 'true',
        CIRCLE_PROJECT_USERNAME: 'acme',
        CIRCLE_REPOSITORY_URL: 'https://github.com/acme/site.git',
      }),
    ).toStrictEqual({ ciProvider: 'circleci', repo: 'acme/site' });
  });
});

runCiEnvironmentConformance({ environment: circleciEnvironment });
