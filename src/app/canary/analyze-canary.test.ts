import { describe, expect, it } from 'vitest';
import { CanaryConfig } from '../../config/canary-config.ts';
import { fail, ok } from '../../core/lib/result.ts';
import type { Series, SourceClient, SourceRequest } from '../../sources/metric-source.ts';
import { analyzeCanary } from './analyze-canary.ts';

const start = new Date('2026-11-20T12:00:00Z');
const end = new Date('2026-11-20T12:30:00Z');

const config = (metrics: unknown[], extra: Record<string, unknown> = {}) =>
  CanaryConfig.parse({
    source: { kind: 'prometheus', url: 'http://127.0.0.1:9' },
    interval: '1m',
    minimumDuration: '10m',
    metrics,
    ...extra,
  });

/** A source answering each query with what `answer` gives, recording the requests. */
function source(answer: (request: SourceRequest) => Series[] | string) {
  const requests: SourceRequest[] = [];
  const client: SourceClient = {
    location: 'test',
    query: async (request) => {
      requests.push(request);
      const answered = answer(request);
      return typeof answered === 'string'
        ? fail({ kind: 'unreachable', message: answered })
        : ok({ series: answered, body: '' });
    },
  };
  return { client, requests };
}

const steady = (request: SourceRequest, value: (t: number) => number): Series[] => {
  if (request.kind !== 'range') return [];
  const points = [];
  for (let t = request.start; t <= request.end; t += request.step)
    points.push({ time: t, value: value(t) });
  return [{ labels: {}, points }];
};

const count = {
  name: 'errors',
  kind: 'count',
  numerator: 'e{v="{{v}}"}',
  denominator: 'r{v="{{v}}"}',
};
const labels = { baseline: { v: 'old' }, canary: { v: 'new' } };

describe('analyzeCanary', () => {
  it('queries both versions at the interval over the window, the templates filled', async () => {
    const { client, requests } = source((r) => steady(r, () => 1));
    await analyzeCanary({ config: config([count]), labels, start, end, client });
    expect(requests.map((r) => r.kind === 'range' && [r.query, r.start, r.end, r.step])).toEqual(
      expect.arrayContaining([
        ['e{v="old"}', start.getTime() / 1000, end.getTime() / 1000, 60],
        ['r{v="old"}', start.getTime() / 1000, end.getTime() / 1000, 60],
        ['e{v="new"}', start.getTime() / 1000, end.getTime() / 1000, 60],
        ['r{v="new"}', start.getTime() / 1000, end.getTime() / 1000, 60],
      ]),
    );
  });

  it('reads a numerator without series as zero events', async () => {
    const { client } = source((r) => (r.query.startsWith('e') ? [] : steady(r, () => 10_000)));
    const { report } = await analyzeCanary({ config: config([count]), labels, start, end, client });
    expect(report.metrics[0]?.baseline).toMatchObject({ events: 0, total: 31 * 10_000 });
  });

  it('makes a metric inconclusive with the source’s reason, never promote', async () => {
    const { client } = source(() => 'cannot reach test');
    const { report } = await analyzeCanary({ config: config([count]), labels, start, end, client });
    expect(report.verdict).toBe('inconclusive');
    expect(report.metrics[0]?.reason).toContain('baseline numerator: cannot reach test');
  });

  it('refuses a query that returns several series, asking to aggregate', async () => {
    const { client } = source((r) => [...steady(r, () => 1), ...steady(r, () => 2)]);
    const { report } = await analyzeCanary({
      config: config([{ name: 'cpu', kind: 'gauge', query: 'cpu{v="{{v}}"}' }]),
      labels,
      start,
      end,
      client,
    });
    expect(report.metrics[0]?.result).toBe('inconclusive');
    expect(report.metrics[0]?.reason).toContain('returned 2 series');
  });

  it('does not promote a window shorter than minimumDuration', async () => {
    const { client } = source((r) => steady(r, (t) => 0.2 + 0.0001 * Math.sin(t)));
    const gauge = { name: 'cpu', kind: 'gauge', query: 'cpu{v="{{v}}"}' };
    const long = await analyzeCanary({ config: config([gauge]), labels, start, end, client });
    expect(long.report.verdict).toBe('promote');
    const short = await analyzeCanary({
      config: config([gauge], { minimumDuration: '1h' }),
      labels,
      start,
      end,
      client,
    });
    expect(short.report.verdict).toBe('inconclusive');
    expect(short.report.reasons.join(' ')).toContain('shorter than minimumDuration (1h)');
  });

  it('throws a usage error naming the metric and an unknown placeholder', async () => {
    const { client } = source(() => []);
    await expect(
      analyzeCanary({
        config: config([count]),
        labels: { baseline: { x: 'a' }, canary: { x: 'b' } },
        start,
        end,
        client,
      }),
    ).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('errors: unknown placeholder {{v}}'),
    });
  });
});
