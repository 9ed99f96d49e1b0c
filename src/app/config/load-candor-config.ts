import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { CandorConfig } from '../../config/candor-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';
import { parseYaml } from '../../readers/yaml/parse-yaml.ts';

/** Where candor looks for its configuration when `--config` is not given. */
export const defaultConfigPath = 'candor.yml';

export type LoadedConfig = {
  /** The file as the user would name it (relative to `cwd` when inside it). */
  path: string;
  /** False when no file was given and `candor.yml` does not exist: every section is absent. */
  found: boolean;
  config: CandorConfig;
};

/**
 * Reads and validates `candor.yml` (or `path`, relative to `cwd`). Without `path`, a missing
 * `candor.yml` is an empty configuration; a `path` that does not exist is an error. Problems
 * (YAML or schema) carry the line and column. Throws CandorError `io` when a file cannot be read.
 */
export function loadCandorConfig(options: {
  cwd: string;
  path?: string | undefined;
}): Result<LoadedConfig, Problem> {
  const absolute = resolve(options.cwd, options.path ?? defaultConfigPath);
  const shown = relative(options.cwd, absolute).startsWith('..')
    ? absolute
    : relative(options.cwd, absolute);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.path === undefined)
      return ok({ path: shown, found: false, config: {} });
    throw new CandorError('io', `cannot read ${shown}: ${messageOf(error)}`, { cause: error });
  }
  const parsed = parseYaml(text, CandorConfig);
  if (!parsed.ok) return fail(...parsed.errors);
  return ok({ path: shown, found: true, config: parsed.value.value });
}
