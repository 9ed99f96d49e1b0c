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

  it("runs the seed's four checklists: change blocks the new SQL injection, release warns of the expiring token", () => {
    expect(demo.gates.map((g) => [g.checklist, g.result])).toEqual([
      ['change', 'fail'],
      ['release', 'warn'],
      ['incident', 'fail'],
      ['quarter', 'warn'],
    ]);
    const [change, release, incident, quarter] = demo.gates;
    expect(change?.conditions.map((c) => [c.kind, c.result])).toEqual([
      ['tests', 'pass'],
      ['coverage', 'pass'],
      ['findings', 'fail'],
      ['vulnerabilities', 'pass'],
    ]);
    expect(change?.conditions[2]?.message).toContain('sql-injection at src/payments/refund.ts:31');
    expect(release?.conditions.map((c) => [c.kind, c.result])).toEqual([
      ['sbom', 'pass'],
      ['secrets', 'warn'],
      ['drill', 'pass'],
    ]);
    expect(incident?.conditions[0]?.message).toMatch(/INC-7: no regression test.*deploy-5/);
    expect(quarter?.conditions[0]?.message).toContain('no true catch: release');
    expect(
      demo.gates.every((g) => g.recorded !== null && g.commit === demo.lastIngest.commit),
    ).toBe(true);
  });

  it('counts the recorded checklists per gate in DORA', () => {
    const change = demo.dora.gates.find((g) => g.checklist === 'change');
    expect(change).toMatchObject({ blocked: 1, passed: 14, passedThenFailed: 1 });
  });
});
