import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

const now = Date.now();
const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();
const p = { service: 'api', environment: 'production' };
const events = [
  { type: 'deploy_started', occurredAt: daysAgo(20), ...p, deployment: 'd1', commit: 'c1' },
  { type: 'deploy_finished', occurredAt: daysAgo(19.9), ...p, deployment: 'd1', result: 'success' },
  // A deployment seen only when it finished, as a CDEvents service.deployed sends it.
  { type: 'deploy_finished', occurredAt: daysAgo(10), ...p, deployment: 'd2', commit: 'c2' },
  // Names d1 three days after it started: explicit, so d1 failed whatever the delay.
  {
    type: 'incident_opened',
    occurredAt: daysAgo(17),
    service: 'api',
    incident: 'i1',
    deployment: 'd1',
  },
  {
    type: 'incident_opened',
    occurredAt: daysAgo(5),
    service: 'api',
    incident: 'i2',
    deployment: 'p-unknown',
  },
].map((event, i) => ({ id: `e${i}`, source: 'test', ...event }));

describe('candor dora', () => {
  let dir: string;
  const cli = (args: string[]) => runCliInProcess([...args, '--db', 'dora.db'], { cwd: dir });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-dora-'));
    writeFileSync(join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
    expect((await cli(['events', 'import', 'events.jsonl'])).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts a finish-only deployment and an explicit link whatever its delay', async () => {
    const result = await cli(['dora', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      deployments: 2,
      failedDeployments: 1,
      changeFailureRate: 0.5,
      incidentLinks: [{ incident: 'i1', deployment: 'd1', link: 'explicit' }],
      unlinkedIncidents: [{ incident: 'i2', openedAt: daysAgo(5), reason: 'unknown-deployment' }],
    });
  });

  it('prints the trend per week, adding up to the window', async () => {
    const result = await cli(['dora', '--by', 'week', '--json']);
    expect(result.code).toBe(0);
    const series = JSON.parse(result.stdout) as {
      by: string;
      deployments: number;
      series: { window: { from: string; to: string }; deployments: number }[];
    };
    expect(series.by).toBe('week');
    // 30 days touch 5 or 6 calendar weeks.
    expect(series.series.length).toBeGreaterThanOrEqual(5);
    expect(series.series.reduce((n, s) => n + s.deployments, 0)).toBe(series.deployments);
    expect(new Date(series.series[1]?.window.from ?? '').getUTCDay()).toBe(1);
  });

  it('shows incident links, unlinked incidents and the trend in text and Markdown', async () => {
    for (const format of [[], ['--markdown']]) {
      const result = await cli(['dora', '--by', 'month', ...format]);
      expect(result.code).toBe(0);
      // A caption line ends in one colon, whatever the format (the renderers add it).
      expect(result.stdout).toMatch(/^incident links:$/m);
      expect(result.stdout).not.toContain('::');
      expect(result.stdout).toMatch(/i1\s*\|?\s*d1\s*\|?\s*explicit/);
      expect(result.stdout).toContain(
        `i2, opened ${daysAgo(5)}: names a deployment that is not a known production deployment`,
      );
      expect(result.stdout).toMatch(/^by month:$/m);
    }
  });

  it('rebuilds the delivery projections from the ledger, changing no number', async () => {
    const numbers = (stdout: string) => ({ ...(JSON.parse(stdout) as object), window: null });
    const before = numbers((await cli(['dora', '--json'])).stdout);
    const rebuilt = await cli(['db', 'rebuild']);
    expect(rebuilt).toMatchObject({
      code: 0,
      stdout: `delivery projections rebuilt from ${events.length} ledger event(s)\n`,
    });
    expect(numbers((await cli(['dora', '--json'])).stdout)).toEqual(before);
  });

  it('refuses an unknown period (exit 2)', async () => {
    const result = await cli(['dora', '--by', 'day']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--by');
  });
});
