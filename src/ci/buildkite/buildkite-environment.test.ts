import { describe, expect, it } from 'vitest';
import { runCiEnvironmentConformance } from '../ci-environment-conformance.ts';
import { detectCiEnvironment } from '../ci-environments.ts';
import { buildkiteEnvironment } from './buildkite-environment.ts';

describe('buildkiteEnvironment', () => {
  it('reads Buildkite', () => {
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
  });

  it('names the repository by its pipeline when the remote has no owner/name', () => {
    expect(
      detectCiEnvironment({
        BUILDKITE: 'true',
        BUILDKITE_REPO: 'not a url',
        BUILDKITE_PIPELINE_SLUG: 'api',
      }),
    ).toStrictEqual({ ciProvider: 'buildkite', repo: 'api' });
  });
});

runCiEnvironmentConformance({ environment: buildkiteEnvironment });
