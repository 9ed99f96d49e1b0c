/**
 * A SARIF artifact URI as a repo-relative POSIX path: `file:///srv/repo/src/a.ts` (ESLint
 * writes absolute file URLs) and `/srv/repo/src/a.ts` become `src/a.ts` when under `root`;
 * `./src/a.ts` and `src\a.ts` become `src/a.ts`; percent-escapes are decoded. A path outside
 * the root stays absolute. Pure; never throws.
 */
export function normaliseArtifactUri(uri: string, root: string): string {
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
