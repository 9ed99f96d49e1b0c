/**
 * A SARIF artifact URI as a repo-relative POSIX path: `file:///srv/repo/src/a.ts` (ESLint
 * writes absolute file URLs) and `/srv/repo/src/a.ts` become `src/a.ts` when under `root`;
 * `./src/a.ts` and `src\a.ts` become `src/a.ts`; percent-escapes are decoded. A path outside
 * the root stays absolute. Pure; never throws.
 */
export function normaliseArtifactUri(uri: string, root: string): string {
  if (isRepoRelativeUri(uri, root)) return uri;
  let path = uri;
  if (/^file:/i.test(path)) {
    path = path.replace(/^file:(\/\/[^/]*)?/i, '');
    if (/^\/[A-Za-z]:/.test(path)) path = path.slice(1);
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    // A stray % is kept as written.
  }
  path = path.replace(/\\/g, '/');
  const base = root.replace(/\\/g, '/').replace(/\/+$/, '');
  if (base !== '' && (path === base || path.startsWith(`${base}/`))) {
    path = path.slice(base.length + 1);
  }
  while (path.startsWith('./')) path = path.slice(2);
  return path;
}

// No scheme, no leading `/` or `./`, no percent-escape, no backslash: nothing to undo.
const plainUri = /^(?![Ff][Ii][Ll][Ee]:|\.\/|\/)[^%\\]*$/;
let lastRoot: string | undefined;
let lastBase = '';

/**
 * True when `normaliseArtifactUri` leaves `uri` as it is, told without building a string: most
 * tools write repository-relative URIs (`src/a.ts`), and a 50 MB SARIF names 100,000 files.
 * Never throws.
 */
export function isRepoRelativeUri(uri: string, root: string): boolean {
  if (!plainUri.test(uri)) return false;
  if (root !== lastRoot) {
    lastRoot = root;
    lastBase = root.replace(/\\/g, '/').replace(/\/+$/, '');
  }
  return lastBase === '' || !uri.startsWith(lastBase);
}
