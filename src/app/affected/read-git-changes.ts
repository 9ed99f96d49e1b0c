import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { KnownChanges } from '../../core/affected/map-affected-services.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import type { BaseChoice } from './choose-base-ref.ts';
import { parseNameStatus } from './parse-name-status.ts';

const run = promisify(execFile);

/** The refs tried, in order, when neither a flag nor the CI names a base. */
export const defaultBaseRefs = ['origin/main', 'main'] as const;

/** What the repository says about a change: the refs and the changed files, or why not known. */
export type GitChanges = {
  /** The base ref used (null when none could be chosen). */
  base: string | null;
  /** Where the base came from: `--base`, a CI variable, or `default`. */
  baseSource: string;
  /** The head as given (`HEAD` by default) and the commit it names. */
  head: string;
  headCommit: string;
  mergeBase: string | null;
  changes: KnownChanges;
};

type GitAnswer = { ok: true; stdout: string } | { ok: false; stderr: string };

/** One git command as an argv (no shell). Throws CandorError `io` when git cannot be run. */
async function git(cwd: string, args: string[]): Promise<GitAnswer> {
  try {
    const { stdout } = await run('git', args, {
      cwd,
      timeout: 60_000,
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    return { ok: true, stdout };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
    if (failure.code === 'ENOENT')
      throw new CandorError('io', 'git is not installed (candor affected reads the history)', {
        cause: error,
      });
    if (failure.killed === true || failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
      throw new CandorError('io', `git ${args[0] ?? ''} failed: ${messageOf(error)}`, {
        cause: error,
      });
    return { ok: false, stderr: (failure.stderr ?? '').trim() };
  }
}

async function commitOf(cwd: string, ref: string): Promise<string | undefined> {
  const answer = await git(cwd, [
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${ref}^{commit}`,
  ]);
  return answer.ok ? answer.stdout.trim() : undefined;
}

async function isShallow(cwd: string): Promise<boolean> {
  const answer = await git(cwd, ['rev-parse', '--is-shallow-repository']);
  return answer.ok && answer.stdout.trim() === 'true';
}

/**
 * The files changed between the merge-base of the base and `head` and `head` (committed
 * changes; the working tree is not looked at), from `git diff --name-status -M -z`: renames
 * detected, paths repository-relative whatever the working directory. A base that cannot be
 * used — absent (a first push), not a commit here (a missing ref, a shallow clone) or without a
 * merge-base with the head (a shallow clone cut before it) — gives `unknown` changes with the
 * reason. Throws CandorError `usage` outside a git repository or when `head` is not a commit,
 * `io` when git cannot be run.
 */
export async function readGitChanges(
  cwd: string,
  options: { base: BaseChoice; head: string },
): Promise<GitChanges> {
  const inside = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.ok)
    throw new CandorError('usage', `${cwd} is not a git repository: ${inside.stderr}`.trim());
  const headCommit = await commitOf(cwd, options.head);
  if (headCommit === undefined)
    throw new CandorError('usage', `--head ${options.head} is not a commit in this repository`);
  const shallow = await isShallow(cwd);
  const fetchHint = shallow
    ? 'this is a shallow clone: fetch the history with actions/checkout fetch-depth: 0 or GitLab GIT_DEPTH: 0'
    : 'fetch it';
  const unknown = (base: string | null, baseSource: string, reason: string): GitChanges => ({
    base,
    baseSource,
    head: options.head,
    headCommit,
    mergeBase: null,
    changes: { kind: 'unknown', reason },
  });

  let base: string;
  let baseSource: string;
  if (options.base.kind === 'absent')
    return unknown(null, options.base.source, options.base.reason);
  if (options.base.kind === 'ref') {
    base = options.base.ref;
    baseSource = options.base.source;
  } else {
    let found: string | undefined;
    for (const ref of defaultBaseRefs)
      if ((await commitOf(cwd, ref)) !== undefined) {
        found = ref;
        break;
      }
    if (found === undefined)
      return unknown(
        null,
        'default',
        `no base: neither ${defaultBaseRefs.join(' nor ')} is a commit here (give --base REF; ${fetchHint})`,
      );
    base = found;
    baseSource = 'default';
  }
  const baseCommit = await commitOf(cwd, base);
  if (baseCommit === undefined)
    return unknown(base, baseSource, `the base ${base} is not a commit here (${fetchHint})`);
  const mergeBase = await git(cwd, ['merge-base', baseCommit, headCommit]);
  if (!mergeBase.ok)
    return unknown(
      base,
      baseSource,
      `${base} and ${options.head} have no merge-base here (${shallow ? fetchHint : 'unrelated histories'})`,
    );
  const mergeBaseCommit = mergeBase.stdout.trim();
  const diff = await git(cwd, [
    'diff',
    '--name-status',
    '-M',
    '-z',
    '--no-color',
    '--no-ext-diff',
    '--no-relative',
    mergeBaseCommit,
    headCommit,
    '--',
  ]);
  if (!diff.ok)
    throw new CandorError('io', `git diff ${mergeBaseCommit} ${headCommit} failed: ${diff.stderr}`);
  return {
    base,
    baseSource,
    head: options.head,
    headCommit,
    mergeBase: mergeBaseCommit,
    changes: { kind: 'known', files: parseNameStatus(diff.stdout) },
  };
}
