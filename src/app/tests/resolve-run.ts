import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { detectCiEnvironment, detectCiEventFile, readCiEvent } from '../../ci/ci-environments.ts';
import { repoNameFromRemote } from '../../ci/repo-name-from-remote.ts';
import type { TestRunMetadata } from '../../core/tests/test-model.ts';
import type { RunRecord } from './ingest-report.ts';

const run = promisify(execFile);

/** What git says about the working directory; empty outside a repository. Never throws. */
export async function readGitMetadata(cwd: string): Promise<TestRunMetadata> {
  const git = async (...args: string[]): Promise<string | undefined> => {
    try {
      const { stdout } = await run('git', args, { cwd, timeout: 5_000 });
      const value = stdout.trim();
      return value === '' ? undefined : value;
    } catch {
      return undefined;
    }
  };
  const [commitSha, branch, remote, top] = await Promise.all([
    git('rev-parse', 'HEAD'),
    git('rev-parse', '--abbrev-ref', 'HEAD'),
    git('remote', 'get-url', 'origin'),
    git('rev-parse', '--show-toplevel'),
  ]);
  const meta: TestRunMetadata = {};
  if (commitSha) meta.commitSha = commitSha;
  if (branch && branch !== 'HEAD') meta.branch = branch;
  const repo = repoNameFromRemote(remote) ?? (top ? basename(top) : undefined);
  if (repo) meta.repo = repo;
  return meta;
}

/** The CI provider's event payload, read when it names one (at most 16 MiB); `{}` when unreadable. */
async function readEventFile(env: Record<string, string | undefined>): Promise<TestRunMetadata> {
  const file = detectCiEventFile(env);
  if (file === undefined) return {};
  try {
    const text = await readFile(file, 'utf8');
    return text.length > 16 * 1024 * 1024 ? {} : readCiEvent(env, JSON.parse(text));
  } catch {
    return {};
  }
}

/**
 * The run for an ingest: flags first, then the CI environment (and its event payload: on a GitHub
 * pull request the head commit, not the merge commit), then git in `cwd` (when given).
 * Without `runId`, a new run id for this invocation. Repo defaults to `default`. The default
 * branch: `--default-branch`, `CANDOR_DEFAULT_BRANCH`, GitLab's `CI_DEFAULT_BRANCH`, else `main`
 * (`master` when the run is on `master`).
 */
export async function resolveRun(options: {
  flags: TestRunMetadata & { runId?: string | undefined; defaultBranch?: string | undefined };
  env: Record<string, string | undefined>;
  /** Omit to skip git (the server has no working directory of the user's). */
  cwd?: string;
  now: string;
}): Promise<RunRecord> {
  const ci = { ...detectCiEnvironment(options.env), ...(await readEventFile(options.env)) };
  const git = options.cwd === undefined ? {} : await readGitMetadata(options.cwd);
  const merged: TestRunMetadata = { ...git, ...ci };
  for (const [key, value] of Object.entries(options.flags)) {
    if (value !== undefined && key !== 'runId' && key !== 'defaultBranch')
      merged[key as keyof TestRunMetadata] = value;
  }
  return {
    id: options.flags.runId ?? randomUUID(),
    repo: merged.repo ?? 'default',
    startedAt: merged.startedAt ?? options.now,
    isStartedAtDefault: merged.startedAt === undefined,
    branch: merged.branch,
    commitSha: merged.commitSha,
    ciProvider: merged.ciProvider,
    ciJob: merged.ciJob,
    ciAttempt: merged.ciAttempt,
    ciUrl: merged.ciUrl,
    variant: merged.variant,
    defaultBranch:
      options.flags.defaultBranch ??
      options.env['CANDOR_DEFAULT_BRANCH'] ??
      options.env['CI_DEFAULT_BRANCH'] ??
      (merged.branch === 'master' ? 'master' : 'main'),
  };
}
