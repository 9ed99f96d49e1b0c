import { ciVariables } from '../../ci/ci-variables.ts';
import type { Env } from '../../ci/ci-environment.ts';

/**
 * Where the base of `candor affected` comes from: a ref to find the merge-base with, a base
 * known to be absent (a first push: the previous commit is all zeros), or nothing said (the
 * caller tries `origin/main`, then `main`).
 */
export type BaseChoice =
  | { kind: 'ref'; ref: string; source: string }
  | { kind: 'absent'; reason: string; source: string }
  | { kind: 'default' };

const isZeroSha = (sha: string) => /^0+$/.test(sha);

/** The `before` of a GitHub push event payload, if it has one. Never throws. */
function pushBefore(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const before = (payload as Record<string, unknown>)['before'];
  return typeof before === 'string' && before !== '' ? before : undefined;
}

function fromSha(sha: string, source: string): BaseChoice {
  return isZeroSha(sha)
    ? { kind: 'absent', source, reason: `${source} is all zeros: a first push, no previous commit` }
    : { kind: 'ref', ref: sha, source };
}

/**
 * The base of `candor affected`, in this order: `--base`; GitHub Actions: `GITHUB_BASE_REF`
 * (a pull request: `origin/<ref>`, whose merge-base with the head is taken, never the frozen
 * base SHA of the event), else a push event's `before` (read from `GITHUB_EVENT_PATH` by the
 * caller and passed as `githubEvent`); GitLab CI: `CI_MERGE_REQUEST_DIFF_BASE_SHA`, else
 * `CI_COMMIT_BEFORE_SHA`. An all-zero SHA (a new branch's first push) is an absent base.
 * Never throws.
 */
export function chooseBaseRef(options: {
  flag?: string | undefined;
  env: Env;
  githubEvent?: unknown;
}): BaseChoice {
  if (options.flag !== undefined) return fromSha(options.flag, '--base');
  const get = ciVariables(options.env);
  const githubBase = get('GITHUB_BASE_REF');
  if (githubBase !== undefined)
    return { kind: 'ref', ref: `origin/${githubBase}`, source: 'GITHUB_BASE_REF' };
  if (get('GITHUB_ACTIONS') === 'true' && get('GITHUB_EVENT_NAME') === 'push') {
    const before = pushBefore(options.githubEvent);
    if (before !== undefined) return fromSha(before, 'the push event before');
  }
  const diffBase = get('CI_MERGE_REQUEST_DIFF_BASE_SHA');
  if (diffBase !== undefined) return fromSha(diffBase, 'CI_MERGE_REQUEST_DIFF_BASE_SHA');
  const before = get('CI_COMMIT_BEFORE_SHA');
  if (before !== undefined) return fromSha(before, 'CI_COMMIT_BEFORE_SHA');
  return { kind: 'default' };
}
