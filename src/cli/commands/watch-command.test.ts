import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateGauge } from '../../core/watch/calibration/simulate-watch.ts';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

const healthy = {
  minutes: 120,
  level: 512,
  noise: 0.005,
  phi: 0.8,
  seasonality: 0,
  startMinute: 0,
};
const start = '2026-12-01T10:00:00Z';
const requests = Array.from({ length: 120 }, () => 1000);

describe('candor watch --input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-watch-'));
    const record = "require('fs').writeFileSync('rolled-back.txt', process.argv[1])";
    writeFileSync(
      join(dir, 'candor.yml'),
      `services:\n  checkout:\n    rollback: { kind: exec, argv: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(record)}, "{{reason}}"] }\n`,
    );
    const input = (memory: number[], rollback: boolean) => ({
      service: 'checkout',
      deployment: 'd-9',
      start,
      intervalSeconds: 60,
      metrics: [
        {
          name: 'memory',
          detector: 'drift',
          direction: 'increase',
          limit: 1024,
          rollback,
          values: memory,
        },
        {
          name: 'availability',
          detector: 'burn',
          objective: 0.999,
          bad: requests.map(() => 0),
          total: requests,
        },
      ],
    });
    writeFileSync(join(dir, 'steady.json'), JSON.stringify(input(simulateGauge(healthy, 1), true)));
    writeFileSync(
      join(dir, 'leak.json'),
      JSON.stringify(input(simulateGauge({ ...healthy, leakPerMinute: 0.002 }, 2), true)),
    );
    writeFileSync(
      join(dir, 'short.json'),
      JSON.stringify({ ...input(simulateGauge(healthy, 3).slice(0, 5), false) }),
    );
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({
        start,
        metrics: [{ name: 'm', detector: 'drift', direction: 'up', values: [] }],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[]) => runCliInProcess(['watch', ...args], { cwd: dir });

  it('stays healthy on a steady service (exit 0) and runs nothing', async () => {
    const result = await cli(['--input', 'steady.json', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ verdict: 'healthy', rollbackMetrics: [], rollbackRun: null });
    expect(
      report.findings.map((f: { metric: string; result: string }) => [f.metric, f.result]),
    ).toEqual([
      ['memory', 'healthy'],
      ['availability', 'healthy'],
    ]);
    expect(existsSync(join(dir, 'rolled-back.txt'))).toBe(false);
  });

  it('finds a leak, runs the rollback with the finding as its reason, and records it (exit 1)', async () => {
    const result = await cli(['--input', 'leak.json']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^✗ degraded: checkout d-9 at 2026-12-01T12:00:00.000Z/);
    expect(result.stdout).toMatch(/memory\s+drift\s+✗ degraded\s+\+\d+\.\d%\/h/);
    expect(result.stdout).toContain('rollback of checkout in production succeeded');
    expect(readFileSync(join(dir, 'rolled-back.txt'), 'utf8')).toMatch(
      /^candor watch: memory drift: drifts \+/,
    );
    rmSync(join(dir, 'rolled-back.txt'));
    const json = JSON.parse((await cli(['--input', 'leak.json', '--json'])).stdout);
    expect(json.rollbackRun).toMatchObject({
      deployment: 'd-9',
      outcome: { result: 'success' },
      recorded: [{ type: 'rollback_triggered' }, { type: 'rollback_finished' }],
    });
  });

  it('--no-rollback reports the finding and runs nothing', async () => {
    rmSync(join(dir, 'rolled-back.txt'), { force: true });
    const result = await cli(['--input', 'leak.json', '--no-rollback']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('memory asked for a rollback; --no-rollback: nothing ran');
    expect(existsSync(join(dir, 'rolled-back.txt'))).toBe(false);
  });

  it('says inconclusive on too little data (exit 3), never healthy', async () => {
    const result = await cli(['--input', 'short.json', '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).findings[0]).toMatchObject({
      result: 'inconclusive',
      reason: '5 points, 15 needed',
    });
  });

  it('names the file and JSON path of a bad input, and --service needs canary: and watch: (exit 2)', async () => {
    const bad = await cli(['--input', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json: metrics[0].direction:');
    const none = await cli(['--service', 'checkout']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('candor.yml has no canary:');
  });
});
