import type { z } from 'zod';
import type { Result } from '../core/lib/result.ts';

/**
 * The metric-source family (docs/adr/0021-canary-analysis.md): where a canary analysis reads its
 * metrics. One folder per source beside this file (`prometheus/`, `file/`), registered in
 * `metric-sources.ts`, checked by `metric-source-conformance.ts`.
 */

/** A query: over a range at a step (Prometheus `query_range`), or at one instant (`query`). */
export type SourceRequest =
  | {
      kind: 'range';
      query: string;
      /** Unix seconds, inclusive. */
      start: number;
      end: number;
      /** Seconds between points. */
      step: number;
    }
  | { kind: 'instant'; query: string; time: number };

/** One point: its time in unix seconds and its value (`null`: NaN, ±Inf or absent). */
export type SeriesPoint = { time: number; value: number | null };

/** One time series of an answer: its labels and points, in time order. */
export type Series = { labels: Record<string, string>; points: SeriesPoint[] };

/** An answer: the series, and the response body as the source returned it (for `--record`). */
export type SourceAnswer = { series: Series[]; body: string };

/**
 * Why a source gave no answer. `unreachable`: no connection (or no recording directory);
 * `timeout`: no answer within the timeout, retries included; `aborted`: the caller's signal;
 * `server`: 5xx after the retries; `query`: the source refused the query (4xx, bad PromQL);
 * `garbage`: an answer that is not what the source's API returns; `not-recorded`: a replay
 * without a recording of this query.
 */
export const sourceProblemKinds = [
  'unreachable',
  'timeout',
  'aborted',
  'server',
  'query',
  'garbage',
  'not-recorded',
] as const;
export type SourceProblemKind = (typeof sourceProblemKinds)[number];

export type SourceProblem = { kind: SourceProblemKind; message: string };

/** An opened source: answers queries. */
export type SourceClient = {
  /** Where it reads, for messages: `http://127.0.0.1:9090`, `recordings/`. */
  readonly location: string;
  /**
   * Answers one query. Expected failures (down, slow, refusing, garbage, aborted) are values;
   * never throws. Every outbound call has a timeout; retries are bounded.
   */
  query(request: SourceRequest, signal?: AbortSignal): Promise<Result<SourceAnswer, SourceProblem>>;
};

/** What a source may read when it is opened. */
export type SourceEnvironment = {
  /** Environment variables (credentials are named in the configuration, read from here). */
  env: Record<string, string | undefined>;
  /** The directory relative paths in the configuration start from. */
  cwd: string;
};

/**
 * A metric source: `id` equals its key in `metricSources` and the `kind` of its configuration
 * (`canary.source.kind` in candor.yml); `config` is the schema of that section (a strict object
 * with `kind: z.literal(id)`); `open` makes a client. `open` throws CandorError `usage` when
 * the configuration names something that is not there (an unset environment variable).
 */
export type MetricSource<Config extends { kind: string } = { kind: string }> = {
  readonly id: string;
  readonly description: string;
  readonly config: z.ZodType<Config>;
  open(config: Config, environment: SourceEnvironment): SourceClient;
};

/** Any registered source, whatever its configuration (what the registry is checked against). */
export type AnyMetricSource = Omit<MetricSource, 'open'> & {
  open(config: never, environment: SourceEnvironment): SourceClient;
};
