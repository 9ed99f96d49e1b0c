import { describe, expect, it } from 'vitest';
import { readPrometheusAnswer } from './prometheus-response.ts';

describe('readPrometheusAnswer', () => {
  it('reads a scalar as one series without labels, and ±Inf as null', () => {
    expect(
      readPrometheusAnswer(
        '{"status":"success","data":{"resultType":"scalar","result":[5,"+Inf"]}}',
      ),
    ).toEqual({
      ok: true,
      value: [{ labels: {}, points: [{ time: 5, value: null }] }],
    });
  });

  it.each([
    ['not JSON', 'garbage'],
    ['[]', 'garbage'],
    ['{"status":"success","data":{"resultType":"string","result":[1,"x"]}}', 'garbage'],
    [
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"abc"]]}]}}',
      'garbage',
    ],
    ['{"status":"error","errorType":"timeout","error":"query timed out"}', 'query'],
  ])('gives a %s problem for %j', (body, kind) => {
    expect(readPrometheusAnswer(body)).toMatchObject({ ok: false, errors: [{ kind }] });
  });
});
