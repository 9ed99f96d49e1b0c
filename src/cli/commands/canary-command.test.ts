import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countSeries,
  createRandom,
  latencySeries,
} from '../../core/canary/calibration/simulate-canary.ts';
import { CanaryReport } from '../../core/canary/canary-report.ts';
import { freeLoopbackPort } from '../../testing/real-prometheus.ts';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

/** A judge input: latency (+`shift`) and an error rate (×`ratio`) over 60 intervals. */
function input(seed: number, shift: number, ratio: number) {
  const random = createRandom(seed);
  const latency = latencySeries(random, { intervals: 60, phi: 0.5, sigma: 0.03, shift });
  const errors = countSeries(random, {
    intervals: 60,
    requests: 2000,
    canaryShare: 0.5,
    errorRate: 0.01,
    rateRatio: ratio,
    dispersion: 0,
  });
  return {
    metrics: [
      { name: 'latency', kind: 'distribution', direction: 'increase', ...latency },
      { name: 'error-rate', kind: 'count', direction: 'increase', critical: true, ...errors },
    ],
  };
}

describe('candor canary judge', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-canary-judge-'));
    writeFileSync(join(dir, 'same.json'), JSON.stringify(input(1, 0, 1)));
    writeFileSync(join(dir, 'errors.json'), JSON.stringify(input(2, 0, 3)));
    writeFileSync(join(dir, 'slow.json'), JSON.stringify(input(3, 0.5, 1)));
    const missing = input(4, 0, 1);
    missing.metrics[1] = { name: 'error-rate', kind: 'count', critical: true } as never;
    writeFileSync(join(dir, 'missing.json'), JSON.stringify(missing));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (args: string[], input?: string) =>
    runCliInProcess(['canary', 'judge', ...args], {
      cwd: dir,
      ...(input === undefined ? {} : { input }),
    });

  it('promotes two identical versions (exit 0)', async () => {
    const result = await cli(['--input', 'same.json']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(
      /^canary: promote \(score 100\/100, default mode\)$/,
    );
  });

  it.each([
    ['errors.json', 'error-rate'],
    ['slow.json', 'latency'],
  ])('rolls back %s (exit 1), the failing metric named', async (file, metric) => {
    const result = await cli(['--input', file, '--json']);
    expect(result.code).toBe(1);
    const report = CanaryReport.parse(JSON.parse(result.stdout));
    expect(report.verdict).toBe('rollback');
    expect(report.metrics.find((m) => m.name === metric)?.result).toBe('fail');
  });

  it('is inconclusive without data for a critical metric (exit 3), with the reason', async () => {
    const result = await cli(['--input', 'missing.json', '--json']);
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.verdict).toBe('inconclusive');
    expect(report.reasons.join(' ')).toContain('error-rate');
  });

  it('prints the --json fields the issue spells', async () => {
    const report = JSON.parse((await cli(['--input', 'errors.json', '--json'])).stdout);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['verdict', 'score', 'mode', 'reasons', 'metrics']),
    );
    expect(Object.keys(report.metrics[0])).toEqual(
      expect.arrayContaining([
        'name',
        'kind',
        'group',
        'critical',
        'result',
        'test',
        'pValue',
        'effect',
        'minimumDetectableEffect',
        'baseline',
        'canary',
        'reason',
      ]),
    );
    expect(Object.keys(report.metrics[0].effect)).toEqual(['estimate', 'low', 'high']);
  });

  it('judges in kayenta mode, with Kayenta’s classification', async () => {
    const result = await cli(['--input', 'errors.json', '--mode', 'kayenta', '--json']);
    const report = JSON.parse(result.stdout);
    expect(report.mode).toBe('kayenta');
    expect(report.metrics.map((m: { classification: string }) => m.classification)).toEqual([
      'Pass',
      'High',
    ]);
    expect(result.code).toBe(1);
  });

  it('writes the verdict first in Markdown, then one row a metric', async () => {
    const result = await cli(['--input', 'errors.json', '--markdown']);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^### ❌ canary: rollback/);
    const rows = lines.filter((line) => /^\| (latency|error-rate)/.test(line));
    expect(rows).toHaveLength(2);
  });

  it('reads the input from standard input with --input -', async () => {
    const result = await cli(['--input', '-'], JSON.stringify(input(1, 0, 1)));
    expect(result.code).toBe(0);
  });

  it('names file:line:column and the JSON path of a bad value (exit 2)', async () => {
    writeFileSync(
      join(dir, 'bad.json'),
      '{"metrics": [\n  {"name": "x", "kind": "count",\n   "baseline": {"events": [1], "total": ["a"]}}]}',
    );
    const result = await cli(['--input', 'bad.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.json:3:');
    expect(result.stderr).toContain('metrics[0].baseline.total[0]');
  });

  it.each([
    ['a JSON syntax error', '{"metrics": [}', 'bad.json:1:'],
    ['an unknown mode', null, "argument 'nope' is invalid"],
    ['a missing file', null, 'nowhere.json does not exist'],
  ])('refuses %s (exit 2)', async (_what, text, message) => {
    if (text !== null) writeFileSync(join(dir, 'bad.json'), text);
    const args = message.includes('nope')
      ? ['--input', 'same.json', '--mode', 'nope']
      : message.includes('nowhere')
        ? ['--input', 'nowhere.json']
        : ['--input', 'bad.json'];
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

/** The issue's example, as written (issue 11, item 2). */
const issueExample = `canary:
  source: { kind: prometheus, url: http://127.0.0.1:9090 }
  interval: 1m
  minimumDuration: 10m
  metrics:
    - name: error-rate
      kind: count
      numerator: sum(increase(http_requests_total{version="{{version}}",code=~"5.."}[1m]))
      denominator: sum(increase(http_requests_total{version="{{version}}"}[1m]))
      direction: increase
      critical: true
      max: 0.02
    - name: latency
      kind: distribution
      query: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{version="{{version}}"}[1m])))
      direction: increase
      threshold: 0.1
`;

describe('candor canary analyze', () => {
  let dir: string;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-canary-analyze-'));
    port = await freeLoopbackPort();
    writeFileSync(join(dir, 'candor.yml'), issueExample);
    writeFileSync(join(dir, 'closed.yml'), issueExample.replace(':9090', `:${port}`));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (args: string[]) => runCliInProcess(['canary', 'analyze', ...args], { cwd: dir });
  const versions = ['--baseline', 'version=stable', '--canary', 'version=canary'];

  it('documents the issue’s example in README.md, as written', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### `candor canary judge|analyze`'));
    expect(/```yaml\n([\s\S]*?)```/.exec(section)?.[1]).toBe(issueExample);
  });

  it('accepts the issue’s example as written', async () => {
    const result = await runCliInProcess(['config', 'check'], { cwd: dir });
    expect([result.code, result.stdout]).toEqual([0, 'candor.yml: valid\n']);
  });

  it('is inconclusive, not an error, when the source cannot be reached (exit 3)', async () => {
    const result = await cli(['--config', 'closed.yml', ...versions, '--last', '30m', '--json']);
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.verdict).toBe('inconclusive');
    expect(report.metrics.map((m: { reason: string }) => m.reason).join(' ')).toContain(
      `127.0.0.1:${port}`,
    );
    expect(Date.parse(report.window.end) - Date.parse(report.window.start)).toBe(30 * 60_000);
  });

  it('writes the verdict first in Markdown', async () => {
    const result = await cli(['--config', 'closed.yml', ...versions, '--markdown']);
    expect(result.stdout.split('\n')[0]).toMatch(/^### ⚠️ canary: inconclusive/);
  });

  it.each([
    ['no canary: section', ['--config', 'empty.yml', ...versions], 'has no canary: section'],
    ['no --canary', ['--baseline', 'version=stable'], '--canary KEY=VALUE is required'],
    [
      'a label without =',
      ['--baseline', 'stable', '--canary', 'version=canary'],
      'expected KEY=VALUE',
    ],
    ['a bad --last', [...versions, '--last', 'ten'], '--last: expected a duration'],
    ['--last with --start', [...versions, '--last', '1m', '--start', '0'], '--last excludes'],
    [
      '--record with --replay',
      [...versions, '--record', 'a', '--replay', 'b'],
      'exclude each other',
    ],
    [
      'a placeholder no label fills',
      ['--baseline', 'app=a', '--canary', 'app=b'],
      'unknown placeholder {{version}}',
    ],
  ])('refuses %s (exit 2)', async (_what, args, message) => {
    writeFileSync(join(dir, 'empty.yml'), 'version: 1\n');
    const result = await cli(args);
    expect(result.stderr).toContain(message);
    expect(result.code).toBe(2);
  });

  it('names file:line:column of a bad canary: section (exit 2)', async () => {
    writeFileSync(
      join(dir, 'bad.yml'),
      issueExample.replace('kind: distribution', 'kind: histogram'),
    );
    const result = await cli(['--config', 'bad.yml', ...versions]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yml:14:\d+: canary\.metrics\[1\]\.kind/);
  });
});
