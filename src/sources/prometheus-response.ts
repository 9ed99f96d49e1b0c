import type { Result } from '../core/lib/result.ts';
import { fail, ok } from '../core/lib/result.ts';
import type { Series, SeriesPoint, SourceProblem } from './metric-source.ts';

/**
 * The series of a Prometheus HTTP API answer (`/api/v1/query_range`: a `matrix`;
 * `/api/v1/query`: a `vector` or a `scalar`), as https://prometheus.io/docs/prometheus/latest/querying/api/
 * documents it: `{"status":"success","data":{"resultType","result"}}`, values as strings
 * (`"NaN"`, `"+Inf"` become null). Anything else is `garbage`; `{"status":"error"}` is `query`.
 * Shared by the `prometheus` source and the `file` replay (which answers with recorded bodies).
 * Never throws.
 */
export function readPrometheusAnswer(body: string): Result<Series[], SourceProblem> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return garbage(`the answer is not JSON: ${JSON.stringify(body.slice(0, 80))}`);
  }
  if (!isObject(json)) return garbage('the answer is not a JSON object');
  if (json['status'] === 'error')
    return fail({
      kind: 'query',
      message: `${text(json['errorType'], 'error')}: ${text(json['error'], 'no message')}`,
    });
  const data = json['data'];
  if (json['status'] !== 'success' || !isObject(data))
    return garbage('the answer has no "status": "success" with "data"');
  const result = data['result'];
  switch (data['resultType']) {
    case 'matrix':
    case 'vector': {
      if (!Array.isArray(result)) return garbage('data.result is not an array');
      const series: Series[] = [];
      for (const [i, item] of result.entries()) {
        if (!isObject(item) || !isObject(item['metric']))
          return garbage(`data.result[${i}] has no "metric" object`);
        const raw = data['resultType'] === 'matrix' ? item['values'] : [item['value']];
        if (!Array.isArray(raw)) return garbage(`data.result[${i}] has no "values" array`);
        const points: SeriesPoint[] = [];
        for (const [j, pair] of raw.entries()) {
          const point = readPoint(pair);
          if (point === undefined)
            return garbage(`data.result[${i}] point ${j} is not [unix seconds, "value"]`);
          points.push(point);
        }
        const labels: Record<string, string> = {};
        for (const [key, value] of Object.entries(item['metric']))
          if (typeof value === 'string') labels[key] = value;
        series.push({ labels, points });
      }
      return ok(series);
    }
    case 'scalar': {
      const point = readPoint(result);
      return point === undefined
        ? garbage('data.result is not [unix seconds, "value"]')
        : ok([{ labels: {}, points: [point] }]);
    }
    default:
      return garbage(`unknown data.resultType ${JSON.stringify(data['resultType'])}`);
  }
}

function readPoint(pair: unknown): SeriesPoint | undefined {
  if (!Array.isArray(pair) || pair.length !== 2) return undefined;
  const [time, text] = pair as [unknown, unknown];
  if (typeof time !== 'number' || !Number.isFinite(time) || typeof text !== 'string')
    return undefined;
  const value = /^[+-]?Inf$/.test(text) ? Infinity : Number(text);
  if (text.trim() === '' || (Number.isNaN(value) && text !== 'NaN')) return undefined;
  return { time, value: Number.isFinite(value) ? value : null };
}

function text(value: unknown, otherwise: string): string {
  return typeof value === 'string' ? value : otherwise;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function garbage(message: string): { ok: false; errors: SourceProblem[] } {
  return fail({ kind: 'garbage', message });
}
