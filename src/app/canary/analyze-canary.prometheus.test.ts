import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCanaryTestApp, type CanaryTestApp } from '../../testing/canary-test-app.ts';
import { startPrometheus } from '../../testing/real-prometheus.ts';
import { runCliBinary } from '../../testing/run-cli-binary.ts';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';
import { CanaryReport } from '../../core/canary/canary-report.ts';

/**
 * The canary judge end to end (issue 11, "Done when"): a real Prometheus scraping four instances
 * of the test app every second — the baseline (`stable`), an identical canary (`same`), one with
 * three times the errors (`errors`), one 50% slower (`slow`) — and `candor canary analyze` run
 * as users run it. The config is the example with windows of seconds instead of minutes.
 */
const config = (url: string) => `canary:
  source: { kind: prometheus, url: ${url}, timeout: 2s, retries: 1 }
  interval: 1s
  minimumDuration: 30s
  metrics:
    - name: error-rate
      kind: count
      numerator: sum(increase(http_requests_total{version="{{version}}",code=~"5.."}[{{interval}}]))
      denominator: sum(increase(http_requests_total{version="{{version}}"}[{{interval}}]))
      direction: increase
      critical: true
      max: 0.02
    - name: latency
      kind: distribution
      query: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{version="{{version}}"}[{{interval}}])))
      direction: increase
      threshold: 0.1
`;

describe('candor canary analyze against a real Prometheus', () => {
  const apps: CanaryTestApp[] = [];
  let prometheus: { url: string; stop(): Promise<void> };
  let dir: string;
  let started: number;

  beforeAll(async () => {
    const behaviour = { errorRate: 0.01, latency: 0.1, requestsPerSecond: 3000 };
    apps.push(
      await startCanaryTestApp({ version: 'stable', seed: 1, behaviour }),
      await startCanaryTestApp({ version: 'same', seed: 2, behaviour }),
      await startCanaryTestApp({
        version: 'errors',
        seed: 3,
        behaviour: { ...behaviour, errorRate: 0.03 },
      }),
      await startCanaryTestApp({
        version: 'slow',
        seed: 4,
        behaviour: { ...behaviour, latency: 0.15 },
      }),
    );
    prometheus = await startPrometheus({
      targets: apps.map((app) => app.target),
      scrapeInterval: '200ms',
    });
    started = Date.now();
    dir = mkdtempSync(join(tmpdir(), 'candor-canary-analyze-'));
    writeFileSync(join(dir, 'candor.yml'), config(prometheus.url));
    // 45 s of traffic: over 20 intervals of 2 s, past minimumDuration.
    await new Promise((resolve) => setTimeout(resolve, 50_000));
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(apps.map((app) => app.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const windowNow = () => {
    const end = Math.floor(Date.now() / 1000) - 1;
    return { start: String(Math.max(Math.ceil(started / 1000) + 3, end - 45)), end: String(end) };
  };
  const analyze = async (canary: string, extra: string[] = [], window = windowNow()) => {
    const result = await runCliBinary(
      [
        'canary',
        'analyze',
        '--baseline',
        'version=stable',
        '--canary',
        `version=${canary}`,
        '--start',
        window.start,
        '--end',
        window.end,
        '--json',
        ...extra,
      ],
      { cwd: dir },
    );
    return { code: result.code, report: CanaryReport.parse(JSON.parse(result.stdout)) };
  };
  const resultOf = (report: CanaryReport, name: string) =>
    report.metrics.find((m) => m.name === name)?.result;
  let recorded: { start: string; end: string };
  let aa: CanaryReport;

  it(
    'promotes an identical canary (A/A, exit 0), recording the answers',
    { timeout: 60_000 },
    async () => {
      recorded = windowNow();
      const { code, report } = await analyze('same', ['--record', 'recordings'], recorded);
      expect([report.verdict, code]).toEqual(['promote', 0]);
      expect(report.metrics.map((m) => m.result)).toEqual(['pass', 'pass']);
      aa = report;
    },
  );

  it('rolls back a canary with three times the errors (exit 1)', { timeout: 60_000 }, async () => {
    const { code, report } = await analyze('errors');
    expect([report.verdict, code]).toEqual(['rollback', 1]);
    expect(resultOf(report, 'error-rate')).toBe('fail');
    expect(resultOf(report, 'latency')).toBe('pass');
  });

  it('rolls back a canary 50% slower (exit 1)', { timeout: 60_000 }, async () => {
    const { code, report } = await analyze('slow');
    expect([report.verdict, code]).toEqual(['rollback', 1]);
    expect(resultOf(report, 'latency')).toBe('fail');
    const latency = report.metrics.find((m) => m.name === 'latency')!;
    expect(latency.effect.estimate).toBeGreaterThan(0.3);
  });

  it(
    'is inconclusive when Prometheus is stopped (exit 3), naming the source',
    { timeout: 60_000 },
    async () => {
      await prometheus.stop();
      const { code, report } = await analyze('same');
      expect([report.verdict, code]).toEqual(['inconclusive', 3]);
      expect(report.metrics.map((m) => m.result)).toEqual(['inconclusive', 'inconclusive']);
      expect(report.metrics[0]!.reason).toContain('cannot reach');
    },
  );

  it(
    'judges a recording again offline, to the same report (--replay)',
    { timeout: 60_000 },
    async () => {
      const { code, report } = await analyze('same', ['--replay', 'recordings'], recorded);
      expect(code).toBe(0);
      expect(report).toEqual(aa);
    },
  );

  it(
    "names, in the quarter checklist, a threshold of today's candor.yml that would change the recorded verdict",
    { timeout: 60_000 },
    async () => {
      // Both versions fail 1% of requests: a max of 0.5% would have rolled the A/A canary back.
      writeFileSync(
        join(dir, 'strict.yml'),
        `${config(prometheus.url).replace('max: 0.02', 'max: 0.005')}gates:
  quarter:
    - events: { check: quarter, replays: recordings }
`,
      );
      const db = ['--db', 'gates.db'];
      const event = await runCliInProcess(
        ['event', 'policy_failed', '--service', 'shop', '--commit', 'c1', ...db],
        { cwd: dir },
      );
      expect(event.code).toBe(0);
      const gate = await runCliInProcess(
        ['gate', 'quarter', '--config', 'strict.yml', '--service', 'shop', '--json', ...db],
        { cwd: dir },
      );
      const json = JSON.parse(gate.stdout) as {
        conditions: { result: string; evidence: string[]; message: string }[];
      };
      expect(json.conditions[0]).toMatchObject({
        result: 'warn',
        evidence: ['recordings/analysis.json'],
        message: expect.stringContaining(
          "today's thresholds would change 1 verdict: recordings promote → rollback (error-rate pass → fail)",
        ) as string,
      });
    },
  );
});
