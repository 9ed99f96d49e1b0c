/**
 * Checkout folders of CI providers, for reports made on a runner and ingested elsewhere (their
 * own root is not known then): GitHub Actions (`/home/runner/work/<repo>/<repo>`, container jobs
 * `/__w/…`, macOS `/Users/runner/work/…`, Windows `D:/a/…`), GitLab (`/builds/<group>/<project>`),
 * Jenkins (`…/workspace/<job>` and its `@2` copies), Buildkite
 * (`…/buildkite-agent/builds/<agent>/<org>/<pipeline>`), CircleCI (`/home/circleci/project`).
 */
const checkoutPrefixes: readonly RegExp[] = [
  /^\/home\/runner\/work\/[^/]+\/[^/]+\//,
  /^\/Users\/runner\/work\/[^/]+\/[^/]+\//,
  /^\/__w\/[^/]+\/[^/]+\//,
  /^[A-Za-z]:\/a\/[^/]+\/[^/]+\//,
  /^\/builds\/[^/]+\/[^/]+\//,
  /^\/(?:[^/]+\/)*?workspace\/[^/@]+(?:@\d+)?\//,
  /^\/(?:[^/]+\/)*?buildkite-agent\/builds\/[^/]+\/[^/]+\/[^/]+\//,
  /^\/home\/circleci\/project\//,
];

/** Whether a path is absolute on POSIX or Windows (`/x`, `C:/x`, `C:\x`, `\\server\x`). */
export function isAbsolutePath(path: string): boolean {
  return /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(path);
}

/**
 * A file path as a report wrote it, relative to the repository root (docs/adr/0015): a
 * `file://` URL becomes a path, Windows separators become `/`, a leading `./` goes; an absolute
 * path under one of `roots` (absolute, `/`-separated: the git root of the checkout, `--path-root`,
 * the CI workspace) loses that root, else a known CI checkout prefix (`checkoutPrefixes`). An
 * absolute path under none of them stays as it is; so does a relative one. Never throws.
 */
export function repoRelativePath(path: string, roots: readonly string[] = []): string {
  let value = path.trim();
  if (value.startsWith('file://')) {
    value = value.slice('file://'.length).replace(/^\/([A-Za-z]:\/)/, '$1');
    try {
      value = decodeURIComponent(value);
    } catch {
      // not percent-encoded after all: keep it as written
    }
  }
  if (/^[A-Za-z]:\\/.test(value) || (value.includes('\\') && !value.includes('/')))
    value = value.replace(/\\/g, '/');
  while (value.startsWith('./')) value = value.slice(2);
  if (!isAbsolutePath(value)) return value;
  for (const root of roots) {
    const prefix = root.replace(/\\/g, '/').replace(/\/+$/, '');
    if (prefix !== '' && value.startsWith(`${prefix}/`)) return value.slice(prefix.length + 1);
  }
  for (const pattern of checkoutPrefixes) {
    const match = pattern.exec(value);
    if (match) return value.slice(match[0].length);
  }
  return value;
}

/**
 * The tracked file a test's file or classname names when it is relative to something other than
 * the repository root (Playwright writes files relative to its `testDir`): the one tracked path
 * ending in `/<path>`; undefined when the path is tracked as it is, when none or several end so,
 * or when it does not look like a file. Never throws.
 */
export function trackedFileOf(
  path: string,
  tracked: { has(path: string): boolean; endingWith(path: string): readonly string[] },
): string | undefined {
  if (path === '' || /\s/.test(path) || !/\.[A-Za-z0-9]+$/.test(path) || isAbsolutePath(path))
    return undefined;
  if (tracked.has(path)) return undefined;
  const candidates = tracked.endingWith(path);
  return candidates.length === 1 ? candidates[0] : undefined;
}
