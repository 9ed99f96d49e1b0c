import { describe, expect, it } from 'vitest';
import { readCiSample } from './ci-environment-conformance.ts';
import { detectCiEnvironment } from './ci-environments.ts';

describe('detectCiEnvironment', () => {
  it('returns nothing outside CI', () => {
    expect(detectCiEnvironment({ PATH: '/bin' })).toEqual({});
    expect(detectCiEnvironment({})).toStrictEqual({});
  });

  it('lets the first provider in registry order read an environment two providers claim', () => {
    // Variables of two providers (one CI started inside another): the earlier one reads them.
    const env = { ...readCiSample('jenkins').env, ...readCiSample('gitlab-ci').env };
    expect(detectCiEnvironment(env)).toMatchObject({ ciProvider: 'gitlab-ci' });
    expect(
      detectCiEnvironment({ ...readCiSample('circleci').env, GITHUB_ACTIONS: 'true' }),
    ).toMatchObject({ ciProvider: 'github-actions' });
  });
});
