import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliBinary } from '../../testing/run-cli-binary.ts';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

describe('candor demo', () => {
  let dir: string;
  let temp: string;
  let output: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-demo-cwd-'));
    temp = mkdtempSync(join(tmpdir(), 'candor-demo-tmp-'));
    output = await runCliBinary(['demo', '--runs', '10'], { cwd: dir, env: { TMPDIR: temp } });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(temp, { recursive: true, force: true });
  });

  it('shows the flaky tests, the budget and the verdict on the first screen (40 lines)', () => {
    expect(output.code).toBe(0);
    const firstScreen = output.stdout.split('\n').slice(0, 40).join('\n');
    expect(firstScreen).toMatch(/\ncom\.shop\.CheckoutTest::appliesCoupon +flaky /);
    expect(firstScreen).toMatch(/\$ candor flaky\n/);
    expect(firstScreen).toMatch(/flake budget: .* of \d+ executions/);
    expect(firstScreen).toContain('$ candor verdict verdict/');
  });

  it('leaves no temporary folder behind, and writes nothing where it runs', () => {
    expect(readdirSync(temp)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    expect(output.stdout).toContain('the throwaway database is gone');
  });

  it('ends with the next commands to try', () => {
    const lines = output.stdout.trimEnd().split('\n');
    expect(lines.slice(-8)).toEqual([
      'next, try:',
      'keep the data to explore it: candor demo --db demo.db',
      'candor flaky --db demo.db',
      'candor tests show "com.shop.CheckoutTest::appliesCoupon" --db demo.db',
      'candor quarantine suggest --db demo.db',
      'candor dora --window 30d --db demo.db',
      'your own reports: candor ingest <reports...> (JUnit XML, CTRF, TRX, NUnit, xUnit, go test -json), then candor flaky',
      'the dashboard on this data: candor serve --db demo.db --public-dashboard, then open http://127.0.0.1:7420/',
    ]);
  });

  it('keeps the database --db names, and the next commands use it', async () => {
    const kept = await runCliBinary(['demo', '--runs', '3', '--db', 'demo.db'], {
      cwd: dir,
      env: { TMPDIR: temp },
    });
    expect(kept.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['demo.db']);
    expect(readdirSync(temp)).toEqual([]);
    expect(kept.stdout).toContain('\ncandor flaky --db demo.db\n');
    const flaky = await runCliBinary(['flaky', '--db', 'demo.db', '--json'], { cwd: dir });
    expect(flaky.code).toBe(0);
  });

  it.each(['0', '-1', 'ten', '2.5', '501', ''])('refuses --runs %j with exit 2', async (runs) => {
    const result = await runCliInProcess(['demo', '--runs', runs], {
      cwd: dir,
      env: { TMPDIR: temp },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--runs: expected a whole number from 1 to 500, got "${runs}"`);
    expect(result.stdout).toBe('');
  });
});
