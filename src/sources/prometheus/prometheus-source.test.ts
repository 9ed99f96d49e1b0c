import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandorError } from '../../core/lib/candor-error.ts';
import { startCanaryTestApp, type CanaryTestApp } from '../../testing/canary-test-app.ts';
import { freeLoopbackPort, startPrometheus } from '../../testing/real-prometheus.ts';
import {
  conformanceRequests,
  runMetricSourceConformance,
  type SourceFixture,
  type SourceScenario,
} from '../metric-source-conformance.ts';
import { prometheusSource, PrometheusSourceConfig } from './prometheus-source.ts';

const matrix = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'matrix',
    result: [
      {
        metric: { version: 'stable' },
        values: [
          [1000, '1'],
          [1060, 'NaN'],
          [1120, '2.5'],
        ],
      },
    ],
  },
});
const vector = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: { version: 'stable' }, value: [1120, '3'] }] },
});
const empty = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } });
const refused = JSON.stringify({
  status: 'error',
  errorType: 'bad_data',
  error: '1:4: parse error: unexpected "{" in label matching',
});

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** A fake Prometheus that answers as `handler` says, counting requests. */
async function fakePrometheus(handler: Handler) {
  let count = 0;
  const server = createServer((request, response) => {
    count++;
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => handler(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (response: ServerResponse, status: number, body: string) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(body);

const answer: Handler = (request, _body, response) =>
  json(response, 200, request.url?.endsWith('/query_range') === true ? matrix : vector);

const scenarios: Record<Exclude<SourceScenario, 'unreachable'>, () => Handler> = {
  series: () => answer,
  empty: () => (_request, _body, response) => json(response, 200, empty),
  garbage: () => (_request, _body, response) => json(response, 200, '<html>login</html>'),
  refused: () => (_request, _body, response) => json(response, 400, refused),
  'flaky-server': () => {
    let failed = false;
    return (request, body, response) => {
      if (failed) return answer(request, body, response);
      failed = true;
      json(response, 503, 'overloaded');
    };
  },
  'down-server': () => (_request, _body, response) => json(response, 500, 'internal error'),
  hang: () => () => {},
};

const open = (url: string, retries = 2) =>
  prometheusSource.open(
    PrometheusSourceConfig.parse({ kind: 'prometheus', url, retries, timeout: '500ms' }),
    {
      env: {},
      cwd: '.',
    },
  );

runMetricSourceConformance({
  source: prometheusSource,
  open: async (scenario): Promise<SourceFixture> => {
    if (scenario === 'unreachable') {
      const port = await freeLoopbackPort();
      return {
        client: open(`http://127.0.0.1:${port}`, 1),
        requests: () => 0,
        close: async () => {},
      };
    }
    const fake = await fakePrometheus(scenarios[scenario]());
    return {
      client: open(fake.url, scenario === 'hang' ? 1 : 2),
      requests: fake.requests,
      close: fake.close,
    };
  },
});

describe('prometheusSource', () => {
  it('sends the query as a form to /api/v1/query_range under the base path', async () => {
    const seen: { url?: string | undefined; body?: string; authorization?: string | undefined } =
      {};
    const fake = await fakePrometheus((request, body, response) => {
      seen.url = request.url;
      seen.body = body;
      seen.authorization = request.headers.authorization;
      answer(request, body, response);
    });
    try {
      const client = prometheusSource.open(
        PrometheusSourceConfig.parse({
          kind: 'prometheus',
          url: `${fake.url}/prom/`,
          auth: { type: 'bearer', env: 'PROM_TOKEN' },
        }),
        { env: { PROM_TOKEN: 's3cret' }, cwd: '.' },
      );
      await client.query(conformanceRequests.range);
      expect(seen.url).toBe('/prom/api/v1/query_range');
      expect(new URLSearchParams(seen.body)).toEqual(
        new URLSearchParams({
          query: 'up{version="stable"}',
          start: '1000',
          end: '1120',
          step: '60',
        }),
      );
      expect(seen.authorization).toBe('Bearer s3cret');
    } finally {
      await fake.close();
    }
  });

  it('sends basic credentials base64-encoded from the environment variable', async () => {
    let authorization: string | undefined;
    const fake = await fakePrometheus((request, body, response) => {
      authorization = request.headers.authorization;
      answer(request, body, response);
    });
    try {
      const client = prometheusSource.open(
        PrometheusSourceConfig.parse({
          kind: 'prometheus',
          url: fake.url,
          auth: { type: 'basic', env: 'PROM_AUTH' },
        }),
        { env: { PROM_AUTH: 'user:pass' }, cwd: '.' },
      );
      await client.query(conformanceRequests.instant);
      expect(authorization).toBe(`Basic ${Buffer.from('user:pass').toString('base64')}`);
    } finally {
      await fake.close();
    }
  });

  it('throws a usage error naming the variable when the credentials are not set', () => {
    const config = PrometheusSourceConfig.parse({
      kind: 'prometheus',
      url: 'http://127.0.0.1:9',
      auth: { type: 'bearer', env: 'PROM_TOKEN' },
    });
    expect(() => prometheusSource.open(config, { env: {}, cwd: '.' })).toThrow(
      expect.objectContaining({
        code: 'usage',
        message: expect.stringContaining('PROM_TOKEN'),
      }) as CandorError,
    );
  });

  it('defaults to a 10 s timeout and 2 retries', () => {
    expect(
      PrometheusSourceConfig.parse({ kind: 'prometheus', url: 'http://127.0.0.1:9090' }),
    ).toMatchObject({
      timeout: 10_000,
      retries: 2,
    });
  });

  it('does not retry a refused query', async () => {
    const fake = await fakePrometheus((_request, _body, response) => json(response, 422, refused));
    try {
      const result = await open(fake.url).query(conformanceRequests.range);
      expect(result).toMatchObject({ ok: false, errors: [{ kind: 'query' }] });
      expect(fake.requests()).toBe(1);
    } finally {
      await fake.close();
    }
  });
});

describe('prometheusSource against a real Prometheus', () => {
  let app: CanaryTestApp;
  let prometheus: { url: string; stop(): Promise<void> };

  beforeAll(async () => {
    app = await startCanaryTestApp({ version: 'stable' });
    prometheus = await startPrometheus({ targets: [app.target] });
  }, 40_000);
  afterAll(async () => {
    await prometheus?.stop();
    await app?.stop();
  });

  it('reads a range of the app’s request counter', { timeout: 20_000 }, async () => {
    const client = open(prometheus.url);
    let points = 0;
    for (let attempt = 0; attempt < 40 && points < 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = Math.floor(Date.now() / 1000);
      const result = await client.query({
        kind: 'range',
        query: 'sum(http_requests_total{version="stable"})',
        start: now - 10,
        end: now,
        step: 1,
      });
      expect(result.ok).toBe(true);
      points = result.ok ? (result.value.series[0]?.points.length ?? 0) : 0;
    }
    expect(points).toBeGreaterThanOrEqual(3);
  });

  it('names the query Prometheus cannot parse', async () => {
    const query = 'sum(rate(http_requests_total{version="stable"[1m]))';
    const result = await open(prometheus.url).query({
      kind: 'instant',
      query,
      time: Date.now() / 1000,
    });
    expect(result).toMatchObject({ ok: false, errors: [{ kind: 'query' }] });
    expect(result.ok ? '' : result.errors[0]?.message).toContain(query);
  });
});
