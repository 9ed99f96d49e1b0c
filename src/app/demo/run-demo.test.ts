import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoResult } from './run-demo.ts';

describe('runDemo', () => {
  let demo: DemoResult;
  beforeAll(async () => {
    demo = await runDemo({
      cwd: process.cwd(),
      now: new Date('2026-03-10T12:00:00.000Z'),
      runs: 14,
    });
  }, 60_000);
  afterAll(() => rmSync(demo.directory, { recursive: true, force: true }));

  it('ingests every generated run into a throwaway database of its own directory', () => {
    expect(demo.location).toEqual({ kind: 'sqlite', path: `${demo.directory}/candor.db` });
    expect(demo.runList.runs).toHaveLength(14);
    expect(demo.latestRun).toBe(demo.runList.runs[0]?.id);
    expect(demo.lastIngest).toMatchObject({
      directory: 'run-14/',
      summary: { totals: { files: 4, tests: 13 } },
    });
  });

  it('finds the flaky and the broken test with the defaults of candor flaky', () => {
    expect(demo.flaky.notable.map((t) => [t.key, t.classification])).toEqual([
      ['com.shop.CheckoutTest::appliesCoupon', 'flaky'],
      ['e2e/checkout.spec.ts::checkout::shopper can check out', 'flaky'],
      ['com.shop.InventoryTest::reservesStock', 'broken'],
    ]);
    expect(demo.flaky.budget).toMatchObject({ max: 0.005, overBudget: true });
    expect(demo.histories.map((h) => h.history.tests[0]?.executions.length)).toEqual([14, 14]);
  });

  it('forgives the quarantined failure, links the rollback, and refuses the XXE report', () => {
    expect(demo.verdict.result.outcome).toBe('pass');
    expect(demo.verdict.result.judged.forgiven.map((t) => t.key)).toEqual([
      'com.shop.CheckoutTest::appliesCoupon',
    ]);
    expect(demo.dora).toMatchObject({ deployments: 14, failedDeployments: 1 });
    expect(demo.hostile.summary.files[0]?.errors[0]?.message).toMatch(
      /entity declarations are not allowed/,
    );
    expect(demo.brokenSince).toBe(demo.runList.runs[9]?.commit);
  });
});
