import type { TestRunMetadata } from '../core/tests/test-model.ts';
import { buildkiteEnvironment } from './buildkite/buildkite-environment.ts';
import type { CiEnvironment, Env } from './ci-environment.ts';
import { circleciEnvironment } from './circleci/circleci-environment.ts';
import { githubActionsEnvironment } from './github-actions/github-actions-environment.ts';
import { gitlabCiEnvironment } from './gitlab-ci/gitlab-ci-environment.ts';
import { jenkinsEnvironment } from './jenkins/jenkins-environment.ts';

/**
 * Every CI provider, by id, in detection order (the first that recognises an environment reads
 * it). Adding a provider is one folder beside this file and one line here
 * (docs/adr/0011-plugin-families.md); callers use `detectCiEnvironment`.
 */
export const ciEnvironments = {
  'github-actions': githubActionsEnvironment,
  'gitlab-ci': gitlabCiEnvironment,
  buildkite: buildkiteEnvironment,
  circleci: circleciEnvironment,
  jenkins: jenkinsEnvironment,
} satisfies Record<string, CiEnvironment>;

export type CiProvider = keyof typeof ciEnvironments;
export const ciProviders = Object.keys(ciEnvironments) as CiProvider[];

/** True when `value` is the id of a registered CI provider. Never throws. */
export function isCiProvider(value: string): value is CiProvider {
  return Object.hasOwn(ciEnvironments, value);
}

/**
 * Run metadata from the environment variables of the first provider, in registry order, that
 * recognises them (GitHub Actions, GitLab CI, Buildkite, CircleCI, Jenkins), with `ciProvider`
 * its id and no undefined field. Returns an empty object outside CI. Never throws.
 */
export function detectCiEnvironment(env: Env): TestRunMetadata {
  const provider = ciProviders.find((id) => ciEnvironments[id].detect(env));
  if (provider === undefined) return {};
  const metadata: TestRunMetadata = { ciProvider: provider };
  for (const [key, value] of Object.entries(ciEnvironments[provider].read(env))) {
    if (value !== undefined) metadata[key as keyof TestRunMetadata] = value;
  }
  return metadata;
}

/**
 * The provider that recognises the variables and its event file, when it names one for this
 * run (`CiEnvironment.eventFile`). Never throws.
 */
export function detectCiEventFile(env: Env): string | undefined {
  const provider = ciProviders.find((id) => ciEnvironments[id].detect(env));
  if (provider === undefined) return undefined;
  const environment: CiEnvironment = ciEnvironments[provider];
  return environment.eventFile?.(env);
}

/** The metadata an event payload adds (`CiEnvironment.readEvent`), undefined fields dropped. Never throws. */
export function readCiEvent(env: Env, payload: unknown): TestRunMetadata {
  const provider = ciProviders.find((id) => ciEnvironments[id].detect(env));
  if (provider === undefined) return {};
  const environment: CiEnvironment = ciEnvironments[provider];
  const metadata: TestRunMetadata = {};
  for (const [key, value] of Object.entries(environment.readEvent?.(payload, env) ?? {}))
    if (value !== undefined) metadata[key as keyof TestRunMetadata] = value;
  return metadata;
}

/**
 * What stays the same when the current CI step is retried (`CiEnvironment.readRetryKey`) of the
 * first provider that recognises the variables, prefixed with its id; undefined outside CI or
 * when the provider cannot tell. Never throws.
 */
export function detectCiRetryKey(env: Env): string | undefined {
  const provider = ciProviders.find((id) => ciEnvironments[id].detect(env));
  if (provider === undefined) return undefined;
  const environment: CiEnvironment = ciEnvironments[provider];
  const key = environment.readRetryKey?.(env);
  return key === undefined ? undefined : `${provider}/${key}`;
}
