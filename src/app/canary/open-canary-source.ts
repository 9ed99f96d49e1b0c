import type { CanaryConfig } from '../../config/canary-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import type { SourceClient } from '../../sources/metric-source.ts';
import { openMetricSource } from '../../sources/metric-sources.ts';
import { recordAnswers } from '../../sources/record-answers.ts';

/**
 * The source of an analysis: `canary.source`, or a replay of `replay` (a `--record` directory)
 * instead; with `record`, every answer is also saved there. Throws CandorError `usage` when both
 * are given or the source's configuration names an unset environment variable.
 */
export function openCanarySource(options: {
  config: CanaryConfig;
  env: Record<string, string | undefined>;
  cwd: string;
  record?: string | undefined;
  replay?: string | undefined;
}): SourceClient {
  if (options.record !== undefined && options.replay !== undefined)
    throw new CandorError('usage', '--record and --replay exclude each other');
  const environment = { env: options.env, cwd: options.cwd };
  if (options.replay !== undefined)
    return openMetricSource({ kind: 'file', dir: options.replay }, environment);
  const client = openMetricSource(options.config.source, environment);
  return options.record === undefined
    ? client
    : recordAnswers(client, resolvePath(options.cwd, options.record));
}

function resolvePath(cwd: string, path: string): string {
  return path.startsWith('/') ? path : `${cwd}/${path}`;
}
