import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { CandorError } from '../../core/lib/candor-error.ts';
import {
  isAbsolutePath,
  repoRelativePath,
  trackedFileOf,
} from '../../core/tests/repo-relative-path.ts';
import type { ReportedTest } from '../../core/tests/test-model.ts';

const run = promisify(execFile);

/** The files a checkout tracks, with a look-up by the end of their path. */
export type TrackedFiles = {
  has(path: string): boolean;
  endingWith(path: string): readonly string[];
};

/**
 * How ingest makes a report's paths repository-relative (docs/adr/0015): the absolute roots to
 * strip, and the files of the checkout when there is one (to find the file a path relative to a
 * test folder names, as Playwright writes them).
 */
export type TestPaths = { roots: readonly string[]; tracked?: TrackedFiles | undefined };

/** No checkout: only CI checkout prefixes are stripped (the server's case). */
export const noCheckout: TestPaths = { roots: [] };

/** The most bytes of `git ls-files` output kept (about 400k paths); above it nothing is mapped. */
const trackedListingBytes = 32 * 1024 * 1024;

/** Environment variables naming the checkout on CI providers. */
const workspaceVariables = [
  'GITHUB_WORKSPACE',
  'CI_PROJECT_DIR',
  'WORKSPACE',
  'BUILDKITE_BUILD_CHECKOUT_PATH',
  'CIRCLE_WORKING_DIRECTORY',
];

/**
 * The paths of an ingest from `cwd`: `pathRoot` (`--path-root`, relative to `cwd`; it need not
 * exist here, the report may come from another machine) or the git root of `cwd`, then the CI
 * workspace variables; the tracked files of that root when it is a git checkout. Throws
 * CandorError `usage` when `pathRoot` is empty.
 */
export async function resolveTestPaths(options: {
  cwd: string;
  pathRoot?: string | undefined;
  env: Record<string, string | undefined>;
}): Promise<TestPaths> {
  const git = async (cwd: string, ...args: string[]): Promise<string | undefined> => {
    try {
      const { stdout } = await run('git', args, {
        cwd,
        timeout: 10_000,
        // The tracked files are held while a report is read: a bigger listing is not mapped.
        maxBuffer: trackedListingBytes,
      });
      return stdout;
    } catch {
      return undefined;
    }
  };
  let root: string | undefined;
  if (options.pathRoot !== undefined) {
    if (options.pathRoot.trim() === '')
      throw new CandorError('usage', '--path-root: expected a folder, got an empty value');
    // It may be where another machine made the report: it need not exist here.
    root = resolve(options.cwd, options.pathRoot);
  } else {
    root = (await git(options.cwd, 'rev-parse', '--show-toplevel'))?.trim() || undefined;
  }
  const roots = new Set<string>();
  const addRoot = async (path: string | undefined) => {
    if (path === undefined || path.trim() === '' || !isAbsolutePath(path)) return;
    roots.add(path.replace(/\\/g, '/').replace(/\/+$/, ''));
    // A report may name the real path of a linked folder (macOS /tmp is /private/tmp).
    const real = await realpath(path).catch(() => undefined);
    if (real !== undefined) roots.add(real.replace(/\/+$/, ''));
  };
  await addRoot(root);
  for (const name of workspaceVariables) await addRoot(options.env[name]);
  const listed =
    root === undefined || !(await isDirectory(root))
      ? undefined
      : await git(root, 'ls-files', '-z');
  return {
    roots: [...roots],
    tracked: listed === undefined || listed === '' ? undefined : trackedFiles(listed.split('\0')),
  };
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** A look-up of tracked files by the end of their path (indexed by file name). */
export function trackedFiles(paths: readonly string[]): TrackedFiles {
  const all = new Set(paths.filter((p) => p !== ''));
  const byName = new Map<string, string[]>();
  for (const path of all) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const list = byName.get(name);
    if (list) list.push(path);
    else byName.set(name, [path]);
  }
  return {
    has: (path) => all.has(path),
    endingWith: (path) =>
      (byName.get(path.slice(path.lastIndexOf('/') + 1)) ?? []).filter((p) =>
        p.endsWith(`/${path}`),
      ),
  };
}

/**
 * The test with repository-relative paths: its `file` relative to the root (or the one tracked
 * file it names), an absolute classname likewise, and, when the report names no file, the file
 * its classname names (Vitest and Playwright write the file there). Never throws.
 */
export function withRepoPaths(test: ReportedTest, paths: TestPaths): ReportedTest {
  const relative = (path: string): string => {
    const value = repoRelativePath(path, paths.roots);
    return paths.tracked === undefined ? value : (trackedFileOf(value, paths.tracked) ?? value);
  };
  let file = test.file === undefined ? undefined : relative(test.file);
  let classname = test.classname;
  if (classname !== undefined && isAbsolutePath(classname)) classname = relative(classname);
  if (file === undefined && classname !== undefined && paths.tracked !== undefined) {
    file = paths.tracked.has(classname) ? classname : trackedFileOf(classname, paths.tracked);
  }
  if (file === test.file && classname === test.classname) return test;
  const out: ReportedTest = { ...test };
  if (file !== undefined) out.file = file;
  if (classname !== undefined) out.classname = classname;
  return out;
}
