import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { messageOf } from '../../core/lib/message-of.ts';
import { fail, ok } from '../../core/lib/result.ts';
import type { MetricSource, SourceClient } from '../metric-source.ts';
import { readPrometheusAnswer } from '../prometheus-response.ts';
import { recordedQueryFile } from '../recorded-query.ts';

/** `canary.source` for a replay (what `--replay DIR` sets). */
export const FileSourceConfig = z.strictObject({
  kind: z.literal('file'),
  /** The directory `--record DIR` wrote (relative to the working directory). */
  dir: z.string().min(1),
});
export type FileSourceConfig = z.output<typeof FileSourceConfig>;

/**
 * A replay: answers each query with the body `--record DIR` saved for the same query over the
 * same window (`recordedQueryFile`), read as Prometheus's answer. A query that was never
 * recorded is `not-recorded`; a missing directory `unreachable`.
 */
export const fileSource = {
  id: 'file',
  description: 'a replay of answers saved by --record DIR (Prometheus API bodies, one file each)',
  config: FileSourceConfig,
  open(config, environment): SourceClient {
    const dir = resolve(environment.cwd, config.dir);
    return {
      location: config.dir,
      query: async (request, signal) => {
        if (signal?.aborted === true)
          return fail({ kind: 'aborted', message: 'the query was aborted' });
        if (!isDirectory(dir))
          return fail({ kind: 'unreachable', message: `no recording directory ${config.dir}` });
        const file = recordedQueryFile(request);
        let body: string;
        try {
          body = readFileSync(resolve(dir, file), 'utf8');
        } catch (error) {
          return fail({
            kind:
              (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-recorded' : 'unreachable',
            message: `${config.dir} holds no answer to \`${request.query}\` over this window (${file}): ${messageOf(error)}`,
          });
        }
        const read = readPrometheusAnswer(body);
        if (!read.ok) {
          const problem = read.errors[0]!;
          return fail({
            kind: problem.kind,
            message: `${config.dir}/${file} (the answer to \`${request.query}\`): ${problem.message}`,
          });
        }
        return ok({ series: read.value, body });
      },
    };
  },
} satisfies MetricSource<FileSourceConfig>;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
