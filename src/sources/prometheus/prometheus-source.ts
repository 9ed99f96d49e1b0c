import { z } from 'zod';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import { DurationText } from '../../core/lib/parse-duration.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';
import type {
  MetricSource,
  SourceAnswer,
  SourceClient,
  SourceProblem,
  SourceRequest,
} from '../metric-source.ts';
import { readPrometheusAnswer } from '../prometheus-response.ts';

/** `canary.source` for Prometheus (README "Canary analysis"). */
export const PrometheusSourceConfig = z.strictObject({
  kind: z.literal('prometheus'),
  /** The base URL: `/api/v1/query_range` is appended (a path prefix is kept). */
  url: z.url({ protocol: /^https?$/ }),
  /** Per request, retries apart. Default 10s. */
  timeout: DurationText.default(10_000),
  /** Further attempts after a 5xx, a timeout or a refused connection. Default 2. */
  retries: z.int().min(0).max(10).default(2),
  /**
   * An `Authorization` header from an environment variable (never from the file): `bearer`
   * sends `Bearer $VAR`; `basic` sends `Basic base64($VAR)`, the variable holding `user:password`.
   */
  auth: z.strictObject({ type: z.enum(['bearer', 'basic']), env: z.string().min(1) }).optional(),
});
export type PrometheusSourceConfig = z.output<typeof PrometheusSourceConfig>;

/** The first pause between attempts; it doubles with each retry. */
const backoffMs = 250;

/**
 * Prometheus's HTTP API (`/api/v1/query_range`, `/api/v1/query`, by POST form as Prometheus
 * accepts, so long PromQL never meets a URL limit). Retries 5xx, timeouts and refused
 * connections with a doubling backoff; a 4xx is the query's fault and is not retried.
 */
export const prometheusSource = {
  id: 'prometheus',
  description: 'Prometheus (and compatible: Thanos, Mimir, VictoriaMetrics) over its HTTP API',
  config: PrometheusSourceConfig,
  open(config, environment): SourceClient {
    let authorization: string | undefined;
    if (config.auth !== undefined) {
      const secret = environment.env[config.auth.env];
      if (secret === undefined || secret === '')
        throw new CandorError(
          'usage',
          `canary.source.auth.env: the environment variable ${config.auth.env} is not set`,
        );
      authorization =
        config.auth.type === 'bearer'
          ? `Bearer ${secret}`
          : `Basic ${Buffer.from(secret, 'utf8').toString('base64')}`;
    }
    const base = config.url.replace(/\/+$/, '');
    return {
      location: base,
      query: (request, signal) =>
        queryWithRetries(base, request, { ...config, authorization }, signal),
    };
  },
} satisfies MetricSource<PrometheusSourceConfig>;

type Settings = { timeout: number; retries: number; authorization: string | undefined };

async function queryWithRetries(
  base: string,
  request: SourceRequest,
  settings: Settings,
  signal: AbortSignal | undefined,
): Promise<Result<SourceAnswer, SourceProblem>> {
  let last: SourceProblem = { kind: 'unreachable', message: 'no attempt was made' };
  for (let attempt = 0; attempt <= settings.retries; attempt++) {
    if (attempt > 0) {
      const paused = await pause(backoffMs * 2 ** (attempt - 1), signal);
      if (!paused) break;
    }
    const answer = await queryOnce(base, request, settings, signal);
    if (answer.ok) return answer;
    last = answer.errors[0] ?? last;
    if (last.kind !== 'server' && last.kind !== 'timeout' && last.kind !== 'unreachable')
      return answer;
  }
  if (signal?.aborted === true) return fail({ kind: 'aborted', message: 'the query was aborted' });
  const attempts = settings.retries + 1;
  return fail({
    ...last,
    message: `${last.message} (${attempts} attempt${attempts === 1 ? '' : 's'})`,
  });
}

async function queryOnce(
  base: string,
  request: SourceRequest,
  settings: Settings,
  signal: AbortSignal | undefined,
): Promise<Result<SourceAnswer, SourceProblem>> {
  const form = new URLSearchParams(
    request.kind === 'range'
      ? {
          query: request.query,
          start: String(request.start),
          end: String(request.end),
          step: String(request.step),
        }
      : { query: request.query, time: String(request.time) },
  );
  const url = `${base}/api/v1/${request.kind === 'range' ? 'query_range' : 'query'}`;
  const timeout = AbortSignal.timeout(settings.timeout);
  const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  let status: number;
  let body: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        ...(settings.authorization === undefined ? {} : { authorization: settings.authorization }),
      },
      body: form.toString(),
      signal: combined,
      redirect: 'error',
    });
    status = response.status;
    body = await response.text();
  } catch (error) {
    if (signal?.aborted === true)
      return fail({ kind: 'aborted', message: 'the query was aborted' });
    if (timeout.aborted)
      return fail({
        kind: 'timeout',
        message: `${url} did not answer within ${settings.timeout} ms`,
      });
    const cause = (error as { cause?: unknown }).cause;
    return fail({
      kind: 'unreachable',
      message: `cannot reach ${url}: ${messageOf(cause ?? error)}`,
    });
  }
  if (status >= 500)
    return fail({ kind: 'server', message: `${url} answered ${status}: ${excerpt(body)}` });
  if (status >= 400) {
    const read = readPrometheusAnswer(body);
    const detail =
      !read.ok && read.errors[0]?.kind === 'query' ? read.errors[0].message : excerpt(body);
    return fail({
      kind: 'query',
      message: `Prometheus refused the query (${status}) \`${request.query}\`: ${detail}`,
    });
  }
  const read = readPrometheusAnswer(body);
  if (!read.ok) {
    const problem = read.errors[0]!;
    return fail({
      kind: problem.kind,
      message:
        problem.kind === 'query'
          ? `Prometheus refused the query \`${request.query}\`: ${problem.message}`
          : `${url}: ${problem.message}`,
    });
  }
  return ok({ series: read.value, body });
}

/** Waits `ms`; false when `signal` aborts first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted === true) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function excerpt(body: string): string {
  const text = body.trim().replace(/\s+/g, ' ');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text || '(empty body)';
}
