import type { TestRunMetadata } from '../core/tests/test-model.ts';

/** Environment variables as a process sees them (`process.env`, or a test's own). */
export type Env = Record<string, string | undefined>;

/**
 * What a CI environment says about the run: repository, branch, commit, job, attempt, URL, start
 * time. Undefined fields are dropped by `detectCiEnvironment`; `ciProvider` is the provider's id.
 */
export type CiMetadata = Omit<TestRunMetadata, 'ciProvider' | 'variant'>;

/**
 * The contract every CI provider implements (one folder per provider beside this file,
 * registered in `ci-environments.ts`, checked by `ci-environment-conformance.ts`): it recognises
 * its own environment and reads the run's metadata from the variables it documents. Providers
 * are asked in registry order and the first whose `detect` says yes reads the environment.
 * Values are read trimmed, and a blank value counts as unset (`ciVariables`).
 */
export type CiEnvironment = {
  /** The provider's name, equal to its key in `ciEnvironments`: the stored `ciProvider`. */
  readonly id: string;
  /** One line: which CI service this is. */
  readonly description: string;
  /** True when the variables say the process runs on this provider. Never throws. */
  detect(env: Env): boolean;
  /** The run's metadata from the variables; fields it cannot tell are undefined. Never throws. */
  read(env: Env): CiMetadata;
  /**
   * What stays the same when a step or job is retried (the workflow run, pipeline or build, and
   * the job), and differs for another run or job: `candor event` derives an event's id from it
   * when none is given, so a retried step does not record its events twice. Undefined when the
   * variables cannot tell (the event keeps a content-hash id). Never throws. Default: undefined.
   */
  readRetryKey?(env: Env): string | undefined;
  /**
   * A file the provider writes with what its variables leave out (GitHub's event payload, whose
   * pull request names the head commit that `GITHUB_SHA`, a merge commit, does not), when this
   * run has one. The caller reads it and gives the parsed JSON to `readEvent`. Never throws.
   */
  eventFile?(env: Env): string | undefined;
  /** Metadata from the parsed `eventFile`, overriding `read`'s; unknown shapes give `{}`. Never throws. */
  readEvent?(payload: unknown, env: Env): CiMetadata;
};
