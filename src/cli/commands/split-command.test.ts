import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

/** A Vitest-style report: classname is the file, durations in seconds. */
function report(durations: Record<string, number>): string {
  const cases = Object.entries(durations).flatMap(([file, seconds]) => [
    `<testcase classname="${file}" name="first" time="${seconds / 2}"/>`,
    `<testcase classname="${file}" name="second" time="${seconds / 2}"/>`,
  ]);
  return `<testsuites><testsuite name="vitest">${cases.join('')}</testsuite></testsuites>`;
}

describe('candor split', () => {
  let dir: string;
  const cli = (args: string[], input?: string) =>
    runCliInProcess(args, { cwd: dir, ...(input !== undefined ? { input } : {}) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-split-'));
    const runs = [
      { 'src/slow.test.ts': 60, 'src/mid.test.ts': 20, 'src/a.test.ts': 10, 'src/b.test.ts': 9 },
      { 'src/slow.test.ts': 58, 'src/mid.test.ts': 22, 'src/a.test.ts': 11, 'src/b.test.ts': 9 },
      { 'src/slow.test.ts': 200, 'src/mid.test.ts': 21, 'src/a.test.ts': 10, 'src/b.test.ts': 10 },
    ];
    for (const [i, durations] of runs.entries()) {
      writeFileSync(join(dir, `r${i}.xml`), report(durations));
      const result = await cli(['ingest', `r${i}.xml`, '--repo', 'acme/web', '--commit', `c${i}`]);
      expect(result.code).toBe(0);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('balances files on the median of their measured durations', async () => {
    const units = [
      'src/a.test.ts',
      'src/b.test.ts',
      'src/mid.test.ts',
      'src/slow.test.ts',
      'src/new.test.ts',
    ];
    const result = await cli(['split', '--shards', '2', '--json', ...units]);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.knownTimingsRatio).toBe(0.8);
    expect(plan.shards).toEqual([
      { index: 1, units: ['src/slow.test.ts'], estimatedSeconds: 60 },
      // new.test.ts has no history: it weighs the median of the known files, (10 + 21) / 2.
      {
        index: 2,
        units: ['src/mid.test.ts', 'src/new.test.ts', 'src/a.test.ts', 'src/b.test.ts'],
        estimatedSeconds: 55.5,
      },
    ]);
    expect(plan.lowerBoundSeconds).toBe(60);
  });

  it('prints the units of one shard, one per line, reading them from standard input', async () => {
    const result = await cli(
      ['split', '--shards', '2', '--index', '2', '--by', 'file'],
      'src/slow.test.ts\nsrc/a.test.ts\nsrc/b.test.ts\n',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('src/a.test.ts\nsrc/b.test.ts\n');
  });

  it('says an empty shard is empty and exits 3, so a runner is not given an empty list', async () => {
    const result = await cli(
      ['split', '--shards', '3', '--index', '3'],
      'src/a.test.ts\nsrc/b.test.ts\n',
    );
    expect([result.code, result.stdout]).toEqual([3, '']);
    expect(result.stderr).toBe(
      'candor split: shard 3 of 3 is empty (2 units for 3 shards): nothing to run here (exit 3)\n',
    );
    const full = await cli(
      ['split', '--shards', '2', '--index', '2'],
      'src/a.test.ts\nsrc/b.test.ts\n',
    );
    expect(full.code).toBe(0);
    const unknown = await cli(['split', '--shards', '2', '--index', '1'], 'src/new.test.ts\n');
    expect(unknown.stderr).toContain(
      'no stored timing matched these 1 units: split evenly by count',
    );
    expect(full.stderr).toBe('');
  });

  it('writes the measured durations of tests for pytest-split, leaving out tests with none', async () => {
    const result = await cli(
      ['split', 'durations', '--format', 'pytest-split'],
      'src/slow.test.ts::first\nsrc/nope.test.ts::x\n',
    );
    expect(result.code, result.stderr).toBe(0);
    // The median of 30, 29 and 100 seconds (each run's first half of the file).
    expect(JSON.parse(result.stdout)).toEqual({ 'src/slow.test.ts::first': 30 });
    expect(result.stderr).toBe(
      'candor split durations: 1 of 2 tests have no stored duration (left out)\n',
    );
    const noShards = await cli(['split', '--index', '1'], 'src/a.test.ts\n');
    expect(noShards.code).toBe(2);
    expect(noShards.stderr).toContain('--shards');
  });

  it('splits test keys', async () => {
    const result = await cli([
      'split',
      '--shards',
      '2',
      '--by',
      'test',
      '--json',
      'src/slow.test.ts::first',
      'src/a.test.ts::first',
      'src/a.test.ts::second',
    ]);
    expect(JSON.parse(result.stdout).shards.map((s: { units: string[] }) => s.units)).toEqual([
      ['src/slow.test.ts::first'],
      ['src/a.test.ts::first', 'src/a.test.ts::second'],
    ]);
  });

  it.each([
    [['split', '--shards', '0', '--json', 'a']],
    [['split', '--shards', '2', 'a']],
    [['split', '--shards', '2', '--index', '3', 'a']],
    [['split', '--shards', '2', '--json', '--window', 'forever', 'a']],
  ])('exits 2 on %j', async (args) => {
    expect((await cli(args)).code).toBe(2);
  });
});

describe("the README's split snippet", () => {
  it('runs the shard it is given and nothing, not everything, on an empty shard', async () => {
    const { readFileSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const { candorBin, launcherFlags } = await import('../../testing/run-cli-binary.ts');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const lines = readme.split('\n');
    const at = lines.findIndex((l) => l.startsWith('# Vitest: this shard'));
    const snippet = lines
      .slice(at + 1, at + 3)
      .join('\n')
      .replace("git ls-files '*.test.ts'", "printf 'src/a.test.ts\\nsrc/b.test.ts\\n'")
      .replace('npx candor', `"${process.execPath}" ${launcherFlags.join(' ')} "${candorBin}"`)
      .replace('npx vitest run', 'echo ran');
    const dir = mkdtempSync(join(tmpdir(), 'candor-split-snippet-'));
    try {
      const run = (shard: string) =>
        execFileSync('bash', ['-eo', 'pipefail', '-c', snippet], {
          cwd: dir,
          env: { ...process.env, SHARD: shard },
          stdio: ['ignore', 'pipe', 'ignore'],
        }).toString();
      expect(run('1')).toMatch(/^ran src\/[ab]\.test\.ts\n$/);
      expect(run('4')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
