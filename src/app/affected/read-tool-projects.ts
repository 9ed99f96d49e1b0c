import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatIssuePath } from '../../core/lib/format-issue-path.ts';
import { messageOf } from '../../core/lib/message-of.ts';

/** `nx show projects --affected --json`: the names of the affected projects. */
export const NxAffectedProjects = z.array(z.string().min(1));

/**
 * `turbo ls --affected --output=json`: `{ "packageManager", "packages": { "count", "items":
 * [{ "name", "path" }] } }` (turborepo `crates/turborepo-lib/src/commands/ls.rs`); other fields
 * are ignored.
 */
export const TurboAffectedPackages = z.object({
  packages: z.object({
    items: z.array(z.object({ name: z.string().min(1), path: z.string().optional() })),
  }),
});

/** The tools whose affected lists `candor affected` reads. */
export type MonorepoTool = 'nx' | 'turbo';

/**
 * The affected names a monorepo tool wrote to `file` (relative to `cwd`): Nx project names or
 * Turborepo package names. Throws CandorError `io` when the file cannot be read, `usage` when it
 * is not that tool's JSON (naming the file and the JSON path).
 */
export function readToolProjects(cwd: string, file: string, tool: MonorepoTool): string[] {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
  }
  const what =
    tool === 'nx'
      ? 'the output of nx show projects --affected --json (a JSON array of project names)'
      : 'the output of turbo ls --affected --output=json ({"packages":{"items":[{"name":…}]}})';
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CandorError('usage', `${file}: not JSON (expected ${what}): ${messageOf(error)}`, {
      cause: error,
    });
  }
  const parsed =
    tool === 'nx'
      ? NxAffectedProjects.safeParse(json)
      : TurboAffectedPackages.transform((v) => v.packages.items.map((item) => item.name)).safeParse(
          json,
        );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatIssuePath(issue?.path ?? []);
    throw new CandorError(
      'usage',
      `${file}: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'} (expected ${what})`,
    );
  }
  return parsed.data;
}
