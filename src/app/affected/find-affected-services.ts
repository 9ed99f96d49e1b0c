import { readFileSync } from 'node:fs';
import picomatch from 'picomatch/posix.js';
import type { Env } from '../../ci/ci-environment.ts';
import type { CandorConfig } from '../../config/candor-config.ts';
import {
  mapAffectedServices,
  type AffectedService,
  type ChangedFile,
  type GlobMatcher,
} from '../../core/affected/map-affected-services.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import { chooseBaseRef } from './choose-base-ref.ts';
import { readGitChanges } from './read-git-changes.ts';
import { readToolProjects } from './read-tool-projects.ts';

/** What `candor affected --json` prints (README "candor affected"). */
export type AffectedReport = {
  /** The base ref used; null when none could be chosen. */
  base: string | null;
  /** `--base`, the CI variable it came from, or `default` (`origin/main`, then `main`). */
  baseSource: string;
  head: string;
  headCommit: string;
  mergeBase: string | null;
  /** False when the changes could not be known: then every service is affected. */
  baseKnown: boolean;
  /** Why the base is unknown; null when it is known. */
  reason: string | null;
  changedFiles: ChangedFile[];
  services: AffectedService[];
  unaffected: string[];
  warnings: string[];
};

/** A glob as picomatch compiles it, with dotfiles matched (`dot: true`), POSIX paths. */
export function compileGlob(glob: string): GlobMatcher {
  try {
    return picomatch(glob, { dot: true });
  } catch (error) {
    throw new CandorError(
      'usage',
      `candor.yml: the glob ${JSON.stringify(glob)} is invalid: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** GitHub's event payload (for a push's `before`), or undefined. Never throws. */
function readGithubEvent(env: Env): unknown {
  const path = env['GITHUB_EVENT_PATH'];
  if (path === undefined || path === '') return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * `candor affected`: the services of `candor.yml` a change affects. Chooses the base
 * (`chooseBaseRef`), reads the changes since its merge-base with `head` (`readGitChanges`),
 * reads the Nx or Turborepo lists when given, and lets the core map them
 * (`mapAffectedServices`). Throws CandorError `usage` when `services:` is empty, outside a git
 * repository, for a head that is not a commit or an unreadable tool list; `io` when git or a
 * file cannot be read.
 */
export async function findAffectedServices(options: {
  cwd: string;
  env: Env;
  config: CandorConfig;
  base?: string | undefined;
  head?: string | undefined;
  nxFile?: string | undefined;
  turboFile?: string | undefined;
}): Promise<AffectedReport> {
  const services = options.config.services ?? {};
  if (Object.keys(services).length === 0)
    throw new CandorError(
      'usage',
      'candor.yml has no services: (name each service with its paths: to map changes to it)',
    );
  const nxProjects =
    options.nxFile === undefined ? undefined : readToolProjects(options.cwd, options.nxFile, 'nx');
  const turboPackages =
    options.turboFile === undefined
      ? undefined
      : readToolProjects(options.cwd, options.turboFile, 'turbo');
  const git = await readGitChanges(options.cwd, {
    base: chooseBaseRef({
      flag: options.base,
      env: options.env,
      githubEvent: readGithubEvent(options.env),
    }),
    head: options.head ?? 'HEAD',
  });
  const mapped = mapAffectedServices({
    services,
    shared: options.config.affected?.shared ?? [],
    changes: git.changes,
    compile: compileGlob,
    nxProjects,
    turboPackages,
  });
  return {
    base: git.base,
    baseSource: git.baseSource,
    head: git.head,
    headCommit: git.headCommit,
    mergeBase: git.mergeBase,
    baseKnown: git.changes.kind === 'known',
    reason: git.changes.kind === 'unknown' ? git.changes.reason : null,
    changedFiles: git.changes.kind === 'known' ? [...git.changes.files] : [],
    ...mapped,
  };
}
