import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main.ts';

const now = '2026-11-18T12:00:00.000Z';
const hoursAgo = (h: number) => new Date(Date.parse(now) - h * 3_600_000).toISOString();
const junit = (failed: boolean) =>
  `<testsuite name="s"><testcase classname="shop" name="pays" time="12">${failed ? '<failure message="boom"/>' : ''}</testcase></testsuite>`;

describe('candor ci-health', () => {
  let dir: string;
  /** In process (the binary's boundary, without a process per call): exit code and output. */
  const cli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...args, '--db', 'ci.db'], {
      cwd: dir,
      env: {},
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      now: () => new Date(now),
    });
    return { code, stdout, stderr };
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-ci-health-'));
    // main: red at -6 h, green at -4 h, red again at -1 h (open); a feature branch red at -5 h.
    const runs = [
      ['r1', 'main', 6, true],
      ['r2', 'feature/x', 5, true],
      ['r3', 'main', 4, false],
      ['r4', 'main', 1, true],
    ] as const;
    for (const [id, branch, hours, failed] of runs) {
      writeFileSync(join(dir, `${id}.xml`), junit(failed));
      const ingested = await cli([
        'ingest',
        `${id}.xml`,
        '--run',
        id,
        '--repo',
        'acme/shop',
        '--branch',
        branch,
        '--commit',
        `c-${id}`,
        '--started-at',
        hoursAgo(hours),
      ]);
      expect(ingested.code, ingested.stderr).toBe(0);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the red episodes of the branch as JSON and as text, exit 0', async () => {
    const json = await cli(['ci-health', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      branch: 'main',
      runs: 3,
      red: {
        episodes: 2,
        p50Seconds: 7200,
        worst: [{ start: hoursAgo(6), end: hoursAgo(4), firstFailingCommit: 'c-r1' }],
        open: [{ start: hoursAgo(1), durationSeconds: 3600, failingTests: ['shop::pays'] }],
      },
    });
    const text = await cli(['ci-health', '--since', '2026-11-18']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('CI health, main, 2026-11-18 → 2026-11-18');
    expect(text.stdout).toContain('red → green');
    expect(text.stdout).toContain(
      `red for 1.0 h and counting: since ${hoursAgo(1)} (commit c-r4, shop::pays)`,
    );
    const feature = await cli(['ci-health', '--branch', 'feature/x', '--json']);
    expect(JSON.parse(feature.stdout).red.open).toHaveLength(1);
  });

  it('refuses a --since that is neither a window nor a date with exit 2', async () => {
    const bad = await cli(['ci-health', '--since', 'last-tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since: expected a window such as 30d or a date');
  });
});
