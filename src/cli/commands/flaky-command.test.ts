import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

describe('candor flaky, flaky budget, quarantine suggest', () => {
  let dir: string;
  const cli = (...args: string[]) => runCliInProcess(args, { cwd: dir });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-flaky-'));
    // The demo's history: two flaky tests, one broken, the rest healthy.
    expect((await cli('demo', '--db', '.candor/candor.db', '--runs', '14')).code).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the JSON contract with every test of the window', async () => {
    const result = await cli('flaky', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['window', 'tests', 'budget', 'systemicRuns']);
    expect(report.tests).toHaveLength(13);
    const byKey = new Map(
      report.tests.map((t: { key: string; classification: string }) => [t.key, t.classification]),
    );
    expect(byKey.get('com.shop.CheckoutTest::appliesCoupon')).toBe('flaky');
    expect(byKey.get('e2e/checkout.spec.ts::checkout::shopper can check out')).toBe('flaky');
    expect(byKey.get('com.shop.InventoryTest::reservesStock')).toBe('broken');
    expect(byKey.get('tests/test_worker.py::test_rounds_tax')).toBe('healthy');
  });

  it('exits 1 when over budget, naming the tests that spend it, and 0 under it', async () => {
    const over = await cli('flaky', 'budget', '--max', '0.5%');
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/flake budget EXCEEDED/);
    expect(over.stdout).toMatch(/com\.shop\.CheckoutTest::appliesCoupon/);
    const under = await cli('flaky', 'budget', '--max', '20%', '--json');
    expect(under.code).toBe(0);
    expect(JSON.parse(under.stdout)).toMatchObject({
      max: 0.2,
      overBudget: false,
      testsSeen: 13,
      testsFlakyAtLeastOnce: 2,
    });
    expect((await cli('flaky', 'budget', '--max', 'lots')).code).toBe(2);
  });

  it('suggests quarantine entries for flaky tests only, and writes them with --write', async () => {
    const suggested = JSON.parse((await cli('quarantine', 'suggest', '--json')).stdout);
    expect(suggested.suggestions.map((s: { key: string }) => s.key).sort()).toEqual([
      'com.shop.CheckoutTest::appliesCoupon',
      'e2e/checkout.spec.ts::checkout::shopper can check out',
    ]);
    expect((await cli('quarantine', 'suggest', '--write')).code).toBe(0);
    const file = readFileSync(join(dir, '.candor', 'quarantine.yml'), 'utf8');
    expect(file).toContain('key: com.shop.CheckoutTest::appliesCoupon');
    expect(file).not.toContain('reservesStock');
    // No CODEOWNERS here: a placeholder a reviewer replaces, never a made-up owner.
    expect(file).toContain('owner: TODO');
    expect(file).not.toContain('unowned');
    expect(file).not.toMatch(/reason: .*\b0\.0% of/);
    expect(JSON.parse((await cli('quarantine', 'suggest', '--json')).stdout).suggestions).toEqual(
      [],
    );
  });

  it('prints Markdown for a step summary', async () => {
    const result = await cli('flaky', '--markdown');
    expect(result.stdout).toMatch(/^### candor: flaky tests/);
    expect(result.stdout).toContain('| `com.shop.InventoryTest::reservesStock` | broken |');
  });
});
