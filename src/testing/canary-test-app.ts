import { createServer, type Server } from 'node:http';
import { Counter, Histogram, Registry } from 'prom-client';
import { seededRandom } from '../core/lib/seeded-random.ts';

/** How one instance of the test app behaves; it can be changed while it runs. */
export type CanaryAppBehaviour = {
  /** Share of requests answered 500. Default 0.01. */
  errorRate: number;
  /** Median request latency in seconds (log-normal, σ 0.25). Default 0.1. */
  latency: number;
  /** Requests it serves per second. Default 200. */
  requestsPerSecond: number;
};

export type CanaryTestApp = {
  /** `host:port` to scrape (`/metrics`). */
  target: string;
  behaviour: CanaryAppBehaviour;
  stop(): Promise<void>;
};

const buckets = [0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5];

/**
 * Test support: a small service run as several instances (baseline, canary), each with its own
 * prom-client registry on its own loopback port, exporting `http_requests_total{version,code}`
 * and `http_request_duration_seconds{version}` (a histogram). It serves simulated traffic
 * itself, every 50 ms, with the configured error rate and latency (seeded: the same seed, the
 * same requests), so a real Prometheus scraping it sees what a real canary would show.
 */
export async function startCanaryTestApp(options: {
  version: string;
  seed?: number;
  behaviour?: Partial<CanaryAppBehaviour>;
}): Promise<CanaryTestApp> {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Requests served.',
    labelNames: ['version', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Request latency.',
    labelNames: ['version'],
    buckets,
    registers: [registry],
  });
  const behaviour: CanaryAppBehaviour = {
    errorRate: 0.01,
    latency: 0.1,
    requestsPerSecond: 200,
    ...options.behaviour,
  };
  const random = seededRandom(options.seed ?? 1);
  const normal = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  // Both series exist from the first scrape, so a rate of zero errors is 0, not absent.
  requests.inc({ version: options.version, code: '200' }, 0);
  requests.inc({ version: options.version, code: '500' }, 0);
  let owed = 0;
  const tick = setInterval(() => {
    owed += behaviour.requestsPerSecond / 20;
    for (; owed >= 1; owed -= 1) {
      const code = random() < behaviour.errorRate ? '500' : '200';
      requests.inc({ version: options.version, code });
      duration.observe({ version: options.version }, behaviour.latency * Math.exp(0.25 * normal()));
    }
  }, 50);
  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    target: `127.0.0.1:${port}`,
    behaviour,
    stop: () => {
      clearInterval(tick);
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
