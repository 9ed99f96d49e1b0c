import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  renderCiSnippet,
  renderStarterConfig,
  type CiProvider,
  type RepositoryDetection,
} from '../../core/init/render-starter-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import type { Problem } from '../../core/lib/problem.ts';
import { loadCandorConfig } from '../config/load-candor-config.ts';
import { detectRepository } from './detect-repository.ts';
import { CandorConfig } from '../../config/candor-config.ts';
import { parseYaml } from '../../readers/yaml/parse-yaml.ts';

/** What `candor init` did, or why it wrote nothing. */
export type InitOutcome =
  | {
      kind: 'written';
      detection: RepositoryDetection;
      /** The files written (repository-relative), candor.yml first. */
      written: string[];
      /** The provider of the CI snippet, when one was written. */
      ci: CiProvider | undefined;
    }
  | { kind: 'exists'; files: string[] }
  | { kind: 'no-ci-provider'; detection: RepositoryDetection }
  | { kind: 'invalid'; problems: Problem[] };

/**
 * `candor init`: detects the repository, renders a starter candor.yml (and, with `ci`, a CI job
 * for that provider, `auto` for the one detected), refuses to replace existing files unless
 * `force`, and validates the rendered candor.yml with the schema `candor config check` uses
 * before anything is written (nothing is written when it is invalid). Throws CandorError `io`
 * when a file cannot be written.
 */
export function initRepository(options: {
  root: string;
  config: string;
  force: boolean;
  ci: CiProvider | 'auto' | undefined;
}): InitOutcome {
  const detection = detectRepository(options.root);
  const provider = options.ci === 'auto' ? detection.ciProviders[0] : options.ci;
  if (options.ci !== undefined && provider === undefined)
    return { kind: 'no-ci-provider', detection };
  const snippet =
    provider === undefined ? undefined : renderCiSnippet(provider, detection.packageManager);
  if (provider !== undefined && snippet === undefined) return { kind: 'no-ci-provider', detection };
  const files = [
    { path: options.config, text: renderStarterConfig(detection) },
    ...(snippet === undefined ? [] : [snippet]),
  ];
  const existing = files
    .filter((file) => existsSync(join(options.root, file.path)))
    .map((file) => file.path);
  if (existing.length > 0 && !options.force) return { kind: 'exists', files: existing };
  // Validated before anything is written, with the schema `candor config check` uses.
  const parsed = parseYaml(files[0]!.text, CandorConfig);
  if (!parsed.ok) return { kind: 'invalid', problems: parsed.errors };
  for (const file of files) {
    try {
      mkdirSync(dirname(join(options.root, file.path)), { recursive: true });
      writeFileSync(join(options.root, file.path), file.text);
    } catch (error) {
      throw new CandorError('io', `cannot write ${file.path}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }
  // And read back as `candor config check` reads it.
  const loaded = loadCandorConfig({ cwd: options.root, path: options.config });
  if (!loaded.ok) return { kind: 'invalid', problems: loaded.errors };
  return { kind: 'written', detection, written: files.map((file) => file.path), ci: provider };
}
