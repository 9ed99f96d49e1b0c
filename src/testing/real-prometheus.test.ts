import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCanaryTestApp, type CanaryTestApp } from './canary-test-app.ts';
import { startPrometheus } from './real-prometheus.ts';

describe('startPrometheus', () => {
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

  it('scrapes the test app every second, with its version label', async () => {
    let value: unknown;
    for (let attempt = 0; attempt < 50 && value === undefined; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await fetch(
        `${prometheus.url}/api/v1/query?query=${encodeURIComponent('http_requests_total{code="200"}')}`,
      );
      const body = (await response.json()) as {
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      const [series] = body.data.result;
      if (series) {
        expect(series.metric['version']).toBe('stable');
        value = Number(series.value[1]);
      }
    }
    expect(value).toBeGreaterThan(0);
  }, 20_000);

  it('stops the process and frees its port', async () => {
    const { url } = prometheus;
    await prometheus.stop();
    await expect(fetch(`${url}/-/ready`)).rejects.toThrow();
    await prometheus.stop();
  });
});
