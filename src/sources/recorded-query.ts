import { createHash } from 'node:crypto';
import type { SourceRequest } from './metric-source.ts';

/**
 * The file name a query's answer is recorded under (`--record DIR`) and replayed from
 * (`--replay DIR`): the SHA-256 of the request (kind, query, times, step), so the same query over
 * the same window finds its answer, and the query text never has to be a safe file name.
 */
export function recordedQueryFile(request: SourceRequest): string {
  const key =
    request.kind === 'range'
      ? ['range', request.query, request.start, request.end, request.step]
      : ['instant', request.query, request.time];
  return `${createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 32)}.json`;
}

/** The file beside an answer that names its request (`<hash>.request.json`), for people. */
export function recordedRequestFile(request: SourceRequest): string {
  return recordedQueryFile(request).replace(/\.json$/, '.request.json');
}
