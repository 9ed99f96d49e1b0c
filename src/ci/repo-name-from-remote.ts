/** `owner/name` from a git remote URL (SSH or HTTPS), or undefined. Never throws. */
export function repoNameFromRemote(remote: string | undefined): string | undefined {
  if (remote === undefined) return undefined;
  const match = /^(?:[a-z+]+:\/\/)?(?:[^@/]+@)?[^:/]+(?::\d+)?[:/](.+?)(?:\.git)?\/?$/i.exec(
    remote.trim(),
  );
  const path = match?.[1]?.replace(/^\/+/, '');
  return path && path.includes('/') ? path : undefined;
}
