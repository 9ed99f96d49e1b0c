import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { AddedLine, ChangeSet } from '../../gates/gate-condition.ts';

const run = promisify(execFile);

/** At most this many added lines are kept per file (a generated file is not worth more). */
const maxLinesPerFile = 100_000;

/** One git command's standard output, or undefined when it fails. Never throws. */
async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd, timeout: 10_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * The default base when `--base` is not given: the remote's default branch (`origin/HEAD`),
 * else `origin/main`, `main`, `origin/master`, `master`, whichever exists first.
 */
async function defaultBase(cwd: string): Promise<string | undefined> {
  const remoteHead = await git(cwd, [
    'symbolic-ref',
    '--quiet',
    '--short',
    'refs/remotes/origin/HEAD',
  ]);
  if (remoteHead) return remoteHead;
  for (const ref of ['origin/main', 'main', 'origin/master', 'master'])
    if ((await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])) !== undefined)
      return ref;
  return undefined;
}

/** A path of `+++ b/…` as git writes it: C-quoted when it holds special characters. */
function unquotePath(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  const bytes: number[] = [];
  const body = raw.slice(1, -1);
  const escapes: Record<string, number> = {
    n: 10,
    t: 9,
    '"': 34,
    '\\': 92,
    a: 7,
    b: 8,
    f: 12,
    r: 13,
    v: 11,
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The lines added in the working tree since the merge-base of `HEAD` and `base` (default: the
 * default branch), from `git diff -U0 --no-ext-diff -M <merge-base>`, streamed. Renamed files
 * count only their changed lines; deleted and binary files add no line (`changed` lists every
 * file with a changed line, removed lines and deleted files included). `unavailable` (never a
 * throw) outside a repository, without a base, or when the merge-base cannot be found.
 */
export async function readChanges(cwd: string, base: string | undefined): Promise<ChangeSet> {
  if ((await git(cwd, ['rev-parse', '--is-inside-work-tree'])) !== 'true')
    return { kind: 'unavailable', reason: `${cwd} is not a git repository` };
  const ref = base ?? (await defaultBase(cwd));
  if (ref === undefined)
    return {
      kind: 'unavailable',
      reason: 'no base: give --base REF (no main or master branch found)',
    };
  if ((await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])) === undefined)
    return {
      kind: 'unavailable',
      reason: `the base ${ref} is not a commit here (a shallow clone? fetch it)`,
    };
  const mergeBase = await git(cwd, ['merge-base', 'HEAD', ref]);
  if (mergeBase === undefined)
    return {
      kind: 'unavailable',
      reason: `HEAD and ${ref} have no merge-base (a shallow clone? fetch more history)`,
    };
  const files = new Map<string, AddedLine[]>();
  // Files with any changed line, removed lines included (a deleted file under its old path).
  const changed = new Set<string>();
  let oldPath: string | undefined;
  let newPath: string | undefined;
  const child = spawn(
    'git',
    [
      '-c',
      'core.quotePath=true',
      'diff',
      '-U0',
      '--no-color',
      '--no-ext-diff',
      '-M',
      mergeBase,
      '--',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  let current: AddedLine[] | undefined;
  let next = 0;
  // File headers come between `diff --git` and the first hunk; a hunk's added line may itself
  // start with `++ ` (shown as `+++ `).
  let inHeader = false;
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    if (line.startsWith('diff --git ')) {
      current = undefined;
      inHeader = true;
      oldPath = undefined;
      newPath = undefined;
    } else if (inHeader && line.startsWith('--- ')) {
      const source = line.slice(4).replace(/\t$/, '');
      oldPath = source === '/dev/null' ? undefined : unquotePath(source).replace(/^a\//, '');
    } else if (inHeader && line.startsWith('+++ ')) {
      // git ends the name with a tab when it holds a space.
      const target = line.slice(4).replace(/\t$/, '');
      if (target === '/dev/null') current = undefined;
      else {
        const path = unquotePath(target).replace(/^b\//, '');
        newPath = path;
        current = files.get(path) ?? [];
        files.set(path, current);
      }
    } else if (line.startsWith('@@')) {
      inHeader = false;
      const touched = newPath ?? oldPath;
      if (touched !== undefined) changed.add(touched);
      const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
      next = match ? Number(match[1]) : 0;
    } else if (!inHeader && line.startsWith('+') && current !== undefined) {
      if (current.length < maxLinesPerFile) current.push({ line: next, text: line.slice(1) });
      next++;
    }
  }
  const code = await exited;
  if (code !== 0)
    return { kind: 'unavailable', reason: `git diff ${mergeBase} failed (exit ${String(code)})` };
  for (const [path, lines] of files) if (lines.length === 0) files.delete(path);
  return { kind: 'diff', base: ref, mergeBase, files, changed };
}
