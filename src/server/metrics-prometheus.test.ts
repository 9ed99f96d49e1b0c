import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/tokens/api-tokens.ts';
import { openTestStore, type TestStore } from '../testing/open-test-store.ts';
import { startPrometheus } from '../testing/real-prometheus.ts';
import { candorBin } from '../testing/run-cli-binary.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A real Prometheus scraping a real `candor serve` every second while an incident is linked to a
// deployment after the fact: the deployment counter never resets, the failure counter goes up.
describe('candor serve scraped by a real Prometheus', { timeout: 120_000 }, () => {
  let store: TestStore;
  let server: ChildProcess | undefined;
  let prometheus: { url: string; stop(): Promise<void> } | undefined;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
  });
  afterAll(async () => {
    await prometheus?.stop();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    await store.drop();
  });

  async function startServer(): Promise<string> {
    const child = spawn(
      process.execPath,
      [candorBin, 'serve', '--port', '0', '--log-level', 'error'],
      {
        env: { PATH: process.env['PATH'] ?? '', CANDOR_DATABASE_URL: store.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    server = child;
    let output = '';
    for await (const chunk of child.stdout) {
      output += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) return match[1];
    }
    throw new Error(`server exited: ${output}`);
  }

  it('never sees a counter reset when an incident is linked later', async () => {
    const base = await startServer();
    prometheus = await startPrometheus({ targets: [new URL(base).host], scrapeInterval: '1s' });
    const { secret } = await createApiToken(store, {
      name: 'ci',
      scopes: ['ingest'],
      now: new Date().toISOString(),
    });
    const post = async (events: object[]) => {
      const response = await fetch(`${base}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      expect(response.status).toBe(201);
    };
    const query = async (promql: string): Promise<number[]> => {
      const response = await fetch(
        `${prometheus?.url}/api/v1/query?query=${encodeURIComponent(promql)}`,
      );
      const body = (await response.json()) as {
        data: { result: { value: [number, string] }[] };
      };
      return body.data.result.map((r) => Number(r.value[1]));
    };
    const until = async (promql: string, expected: number) => {
      for (let i = 0; i < 60; i++) {
        if ((await query(promql))[0] === expected) return;
        await sleep(500);
      }
      throw new Error(
        `${promql} never reached ${expected}: ${JSON.stringify(await query(promql))}`,
      );
    };
    const t = Date.now() - 3_600_000;
    const at = (minutes: number) => new Date(t + minutes * 60_000).toISOString();
    const p = { service: 'api', environment: 'production', source: 'ci' };
    await post([
      { type: 'deploy_started', id: 's1', occurredAt: at(0), ...p, deployment: 'p1' },
      {
        type: 'deploy_finished',
        id: 'f1',
        occurredAt: at(5),
        ...p,
        deployment: 'p1',
        result: 'success',
      },
    ]);
    await until('candor_deployments_total{result="success"}', 1);
    await sleep(3_000);
    // An incident with no deployment named, inferred onto p1 after the fact.
    await post([
      { type: 'incident_opened', id: 'i1', occurredAt: at(30), service: 'api', source: 'pd' },
    ]);
    await until('candor_change_failures_total', 1);
    await sleep(3_000);
    expect(await query('candor_deployments_total{result="success"}')).toEqual([1]);
    expect(await query('candor_deployments_total{result="failure"}')).toEqual([0]);
    expect(await query('sum(resets(candor_deployments_total[5m]))')).toEqual([0]);
    expect(await query('sum(resets(candor_change_failures_total[5m]))')).toEqual([0]);
  });
});
