import type { TestRunMetadata } from '../core/tests/test-model.ts';

type Env = Record<string, string | undefined>;

/**
 * Run metadata from the CI provider's environment variables (GitHub Actions, GitLab CI,
 * Buildkite, CircleCI, Jenkins). Returns an empty object outside CI. Never throws.
 */
export function detectCiEnvironment(env: Env): TestRunMetadata {
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const pick = (meta: Record<keyof TestRunMetadata, string | undefined>): TestRunMetadata => {
    const out: TestRunMetadata = {};
    for (const [key, value] of Object.entries(meta)) {
      if (value !== undefined) out[key as keyof TestRunMetadata] = value;
    }
    return out;
  };
  const join = (...parts: (string | undefined)[]): string | undefined =>
    parts.every((p) => p !== undefined) ? parts.join('/') : undefined;

  if (get('GITHUB_ACTIONS') === 'true') {
    const server = get('GITHUB_SERVER_URL') ?? 'https://github.com';
    return pick({
      ciProvider: 'github-actions',
      repo: get('GITHUB_REPOSITORY'),
      branch: get('GITHUB_HEAD_REF') ?? get('GITHUB_REF_NAME'),
      commitSha: get('GITHUB_SHA'),
      ciJob:
        get('GITHUB_WORKFLOW') && get('GITHUB_JOB')
          ? `${get('GITHUB_WORKFLOW')}/${get('GITHUB_JOB')}`
          : get('GITHUB_JOB'),
      ciAttempt: get('GITHUB_RUN_ATTEMPT'),
      ciUrl: join(server, get('GITHUB_REPOSITORY'), 'actions/runs', get('GITHUB_RUN_ID')),
      variant: undefined,
      startedAt: undefined,
    });
  }
  if (get('GITLAB_CI') === 'true') {
    return pick({
      ciProvider: 'gitlab-ci',
      repo: get('CI_PROJECT_PATH'),
      branch: get('CI_MERGE_REQUEST_SOURCE_BRANCH_NAME') ?? get('CI_COMMIT_REF_NAME'),
      commitSha: get('CI_COMMIT_SHA'),
      ciJob: get('CI_JOB_NAME'),
      ciAttempt: get('CI_JOB_ID'),
      ciUrl: get('CI_JOB_URL'),
      variant: undefined,
      startedAt: get('CI_JOB_STARTED_AT'),
    });
  }
  if (get('BUILDKITE') === 'true') {
    return pick({
      ciProvider: 'buildkite',
      repo: repoNameFromRemote(get('BUILDKITE_REPO')) ?? get('BUILDKITE_PIPELINE_SLUG'),
      branch: get('BUILDKITE_BRANCH'),
      commitSha: get('BUILDKITE_COMMIT'),
      ciJob: get('BUILDKITE_STEP_KEY') ?? get('BUILDKITE_LABEL'),
      ciAttempt: get('BUILDKITE_RETRY_COUNT'),
      ciUrl: get('BUILDKITE_BUILD_URL'),
      variant: undefined,
      startedAt: undefined,
    });
  }
  if (get('CIRCLECI') === 'true') {
    return pick({
      ciProvider: 'circleci',
      repo:
        join(get('CIRCLE_PROJECT_USERNAME'), get('CIRCLE_PROJECT_REPONAME')) ??
        repoNameFromRemote(get('CIRCLE_REPOSITORY_URL')),
      branch: get('CIRCLE_BRANCH'),
      commitSha: get('CIRCLE_SHA1'),
      ciJob: get('CIRCLE_JOB'),
      ciAttempt: get('CIRCLE_BUILD_NUM'),
      ciUrl: get('CIRCLE_BUILD_URL'),
      variant: undefined,
      startedAt: undefined,
    });
  }
  if (get('JENKINS_URL') !== undefined) {
    return pick({
      ciProvider: 'jenkins',
      repo: repoNameFromRemote(get('GIT_URL')),
      branch: get('BRANCH_NAME') ?? get('GIT_BRANCH')?.replace(/^origin\//, ''),
      commitSha: get('GIT_COMMIT'),
      ciJob: get('JOB_NAME'),
      ciAttempt: get('BUILD_NUMBER'),
      ciUrl: get('BUILD_URL'),
      variant: undefined,
      startedAt: undefined,
    });
  }
  return {};
}

/** `owner/name` from a git remote URL (SSH or HTTPS), or undefined. Never throws. */
export function repoNameFromRemote(remote: string | undefined): string | undefined {
  if (remote === undefined) return undefined;
  const match = /^(?:[a-z+]+:\/\/)?(?:[^@/]+@)?[^:/]+(?::\d+)?[:/](.+?)(?:\.git)?\/?$/i.exec(
    remote.trim(),
  );
  const path = match?.[1]?.replace(/^\/+/, '');
  return path && path.includes('/') ? path : undefined;
}
