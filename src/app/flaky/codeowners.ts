import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore from 'ignore';

/** Where GitHub and GitLab look for CODEOWNERS, in their order. */
const locations = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'];

/** The text of the repository's CODEOWNERS (the first of GitHub's and GitLab's places), if any. */
export function readCodeowners(root: string): string | undefined {
  for (const location of locations) {
    try {
      return readFileSync(join(root, location), 'utf8');
    } catch {
      // try the next location
    }
  }
  return undefined;
}

/**
 * The owners of a repository-relative path according to CODEOWNERS (gitignore-style patterns,
 * the last matching rule wins), or a function returning [] when there is no CODEOWNERS file.
 */
export function loadCodeowners(root: string): (path: string) => string[] {
  return parseCodeowners(readCodeowners(root));
}

/**
 * The owners of a path by the rules of a CODEOWNERS text (a server gets it from the checkout of
 * the caller); a function returning [] for `undefined`. Never throws.
 */
export function parseCodeowners(text: string | undefined): (path: string) => string[] {
  if (text === undefined) return () => [];
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('['))
    .map((line) => {
      const [pattern, ...owners] = line.split(/\s+/);
      return { matcher: ignore().add(pattern ?? ''), owners };
    });
  return (path) => {
    const relative = path.replace(/^\.?\//, '');
    if (relative === '' || relative.startsWith('..')) return [];
    for (let i = rules.length - 1; i >= 0; i--) {
      const rule = rules[i];
      if (rule && rule.matcher.ignores(relative)) return rule.owners;
    }
    return [];
  };
}
