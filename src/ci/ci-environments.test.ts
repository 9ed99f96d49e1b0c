import { describe, expect, it } from 'vitest';
import { readCiSample } from './ci-environment-conformance.ts';
import { detectCiEnvironment, detectCiRetryKey } from './ci-environments.ts';

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

describe('detectCiRetryKey', () => {
  /** Per provider: extra variables of a run, what changes on a retry, what makes another run. */
  const cases: [string, Record<string, string>, Record<string, string>, Record<string, string>][] =
    [
      [
        'github-actions',
        { GITHUB_ACTION: '__run_2' },
        { GITHUB_RUN_ATTEMPT: '3' },
        { GITHUB_RUN_ID: '7012345679' },
      ],
      [
        'gitlab-ci',
        {},
        { CI_JOB_ID: '5123456790', CI_JOB_URL: 'https://gitlab.com/j/2' },
        { CI_PIPELINE_ID: '1098765433' },
      ],
      [
        'buildkite',
        { BUILDKITE_BUILD_ID: 'b-1', BUILDKITE_STEP_ID: 's-1' },
        { BUILDKITE_JOB_ID: 'j-2', BUILDKITE_RETRY_COUNT: '2' },
        { BUILDKITE_BUILD_ID: 'b-2' },
      ],
      [
        'circleci',
        { CIRCLE_WORKFLOW_ID: 'w-1', CIRCLE_WORKFLOW_WORKSPACE_ID: 'w-1' },
        { CIRCLE_WORKFLOW_ID: 'w-2', CIRCLE_BUILD_NUM: '8813' },
        { CIRCLE_WORKFLOW_WORKSPACE_ID: 'w-3' },
      ],
      ['jenkins', { STAGE_NAME: 'Deploy' }, {}, { BUILD_NUMBER: '58' }],
    ];

  it.each(cases)(
    'keeps the key of a %s step when it is retried, not for another run or job',
    (provider, extra, retry, other) => {
      const env = { ...readCiSample(provider).env, ...extra };
      const key = detectCiRetryKey(env);
      expect(key).toMatch(new RegExp(`^${provider}/`));
      expect(detectCiRetryKey({ ...env, ...retry })).toBe(key);
      expect(detectCiRetryKey({ ...env, ...other })).not.toBe(key);
    },
  );

  it('has no key outside CI, or when the provider cannot tell', () => {
    expect(detectCiRetryKey({ PATH: '/bin' })).toBeUndefined();
    expect(detectCiRetryKey({ GITHUB_ACTIONS: 'true' })).toBeUndefined();
  });

  it('tells jobs of one GitHub run apart, and steps of one job', () => {
    const env = readCiSample('github-actions').env;
    expect(detectCiRetryKey({ ...env, GITHUB_JOB: 'deploy' })).not.toBe(detectCiRetryKey(env));
    const step = (id: string) => detectCiRetryKey({ ...env, GITHUB_ACTION: id });
    expect(step('__run')).not.toBe(step('__run_2'));
    expect(step('deploy')).not.toBe(step('__run'));
    // A runner that does not name the step (an older one, or a local runner) still has a key.
    expect(detectCiRetryKey(env)).toMatch(/^github-actions\//);
  });
});
