import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/** File name patterns looked for inside a directory argument. */
export const reportFilePatterns = ['**/*.xml', '**/*.json', '**/*.trx'];

/**
 * Files named by the arguments: a file as is, a directory searched for *.xml, *.json and *.trx (not in
 * node_modules), a glob expanded. Symbolic links met while searching are not followed (a link to
 * `..` would pull in the whole tree); an argument that is itself a link is read. Sorted and de-duplicated; `unmatched` lists arguments that
 * matched nothing. Never throws for a missing path.
 */
export async function expandReportPaths(
  args: string[],
  cwd: string,
): Promise<{ files: { absolute: string; display: string }[]; unmatched: string[] }> {
  const found = new Set<string>();
  const unmatched: string[] = [];
  for (const arg of args) {
    const before = found.size;
    const absolute = isAbsolute(arg) ? arg : resolve(cwd, arg);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isFile()) {
      found.add(absolute);
    } else if (info?.isDirectory()) {
      for (const file of await glob(reportFilePatterns, {
        cwd: absolute,
        absolute: true,
        ignore: ['**/node_modules/**'],
        followSymbolicLinks: false,
      })) {
        found.add(file);
      }
    } else if (isDynamicPattern(arg)) {
      for (const file of await glob(arg, {
        cwd,
        absolute: true,
        onlyFiles: true,
        ignore: ['**/node_modules/**'],
        followSymbolicLinks: false,
      })) {
        found.add(file);
      }
    }
    if (found.size === before && !(info?.isFile() ?? false)) unmatched.push(arg);
  }
  const files = [...found].sort().map((file) => {
    const rel = relative(cwd, file);
    return { absolute: file, display: rel.startsWith('..') || isAbsolute(rel) ? file : rel };
  });
  return { files, unmatched };
}

/** Why an argument matched nothing, for messages: a missing path, or a pattern with no match. */
export function describeUnmatched(arg: string): string {
  return isDynamicPattern(arg) ? 'no report file matched' : 'no such file or directory';
}
