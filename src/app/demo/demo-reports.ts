import { seededRandom } from '../../core/lib/seeded-random.ts';

export type DemoReport = { name: string; content: string };
export type DemoRun = {
  commit: string;
  branch: string;
  startedAt: string;
  variant?: string;
  reports: DemoReport[];
};

const xml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A week of CI for a small shop: a Maven service (Surefire XML with reruns), a Python worker
 * (pytest XML) and a Playwright suite (CTRF with retries). `CheckoutTest.appliesCoupon` is flaky
 * (fails then passes on rerun now and then), `InventoryTest.reservesStock` breaks at the fifth
 * commit and stays broken. Deterministic for a given seed.
 */
export function generateDemoRuns(options: { seed: number; start: Date; runs: number }): DemoRun[] {
  const random = seededRandom(options.seed);
  const runs: DemoRun[] = [];
  for (let i = 0; i < options.runs; i++) {
    const commit = (0x1a2b3c4d + i * 7919).toString(16).padEnd(40, '0');
    const startedAt = new Date(options.start.getTime() + i * 6 * 3_600_000).toISOString();
    runs.push({
      commit,
      branch: 'main',
      startedAt,
      reports: [
        { name: `surefire/TEST-com.shop.CheckoutTest.xml`, content: surefireCheckout(random) },
        {
          name: `surefire/TEST-com.shop.InventoryTest.xml`,
          content: surefireInventory(random, i >= 4),
        },
        { name: `pytest/worker.xml`, content: pytestWorker(random) },
        { name: `playwright/ctrf-report.json`, content: playwrightCtrf(random, startedAt) },
      ],
    });
  }
  return runs;
}

function seconds(random: () => number, base: number): string {
  return (base * (0.8 + random() * 0.4)).toFixed(3);
}

function surefireCheckout(random: () => number): string {
  const flaky = random() < 0.35;
  const cases = [
    `<testcase name="totalsCart" classname="com.shop.CheckoutTest" time="${seconds(random, 0.04)}"/>`,
    flaky
      ? `<testcase name="appliesCoupon" classname="com.shop.CheckoutTest" time="${seconds(random, 0.31)}">
      <flakyFailure message="expected:&lt;90&gt; but was:&lt;100&gt;" type="org.opentest4j.AssertionFailedError">
        <stackTrace>org.opentest4j.AssertionFailedError: expected:&lt;90&gt; but was:&lt;100&gt;
	at com.shop.CheckoutTest.appliesCoupon(CheckoutTest.java:42)</stackTrace>
        <system-out>coupon cache miss, retrying</system-out>
      </flakyFailure>
    </testcase>`
      : `<testcase name="appliesCoupon" classname="com.shop.CheckoutTest" time="${seconds(random, 0.3)}"/>`,
    `<testcase name="rejectsExpiredCard" classname="com.shop.CheckoutTest" time="${seconds(random, 0.12)}"/>`,
    `<testcase name="paysWithGiftCard" classname="com.shop.CheckoutTest" time="0"><skipped message="gift cards disabled"/></testcase>`,
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="com.shop.CheckoutTest" time="0.5" tests="4" errors="0" skipped="1" failures="0">
  <properties><property name="java.version" value="21.0.2"/></properties>
  ${cases.join('\n  ')}
</testsuite>
`;
}

function surefireInventory(random: () => number, broken: boolean): string {
  const reserve = broken
    ? `<testcase name="reservesStock" classname="com.shop.InventoryTest" time="${seconds(random, 0.2)}">
      <failure message="${xml('expected stock 4 but was 5')}" type="org.opentest4j.AssertionFailedError">org.opentest4j.AssertionFailedError: expected stock 4 but was 5
	at com.shop.InventoryTest.reservesStock(InventoryTest.java:77)</failure>
      <rerunFailure message="${xml('expected stock 4 but was 5')}" type="org.opentest4j.AssertionFailedError">
        <stackTrace>at com.shop.InventoryTest.reservesStock(InventoryTest.java:77)</stackTrace>
      </rerunFailure>
    </testcase>`
    : `<testcase name="reservesStock" classname="com.shop.InventoryTest" time="${seconds(random, 0.2)}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.shop.InventoryTest" time="0.4" tests="3" errors="0" skipped="0" failures="${broken ? 1 : 0}">
  ${reserve}
  <testcase name="releasesStock" classname="com.shop.InventoryTest" time="${seconds(random, 0.1)}"/>
  <testcase name="countsWarehouses" classname="com.shop.InventoryTest" time="${seconds(random, 0.05)}"/>
</testsuite>
`;
}

function pytestWorker(random: () => number): string {
  const names = [
    'test_sends_receipt',
    'test_retries_webhook',
    'test_parses_invoice',
    'test_rounds_tax',
  ];
  const cases = names.map(
    (name) =>
      `<testcase classname="tests.test_worker" name="${name}" file="tests/test_worker.py" line="${10 + name.length}" time="${seconds(random, 0.02)}" />`,
  );
  return `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="4" time="0.1" timestamp="2026-11-01T10:00:00" hostname="runner-1">${cases.join('')}</testsuite></testsuites>
`;
}

function playwrightCtrf(random: () => number, startedAt: string): string {
  const retried = random() < 0.25;
  const start = Date.parse(startedAt);
  return `${JSON.stringify(
    {
      reportFormat: 'CTRF',
      specVersion: '0.0.0',
      results: {
        tool: { name: 'playwright', version: '1.56.0' },
        summary: {
          tests: 2,
          passed: 2,
          failed: 0,
          pending: 0,
          skipped: 0,
          other: 0,
          start,
          stop: start + 9_000,
        },
        tests: [
          {
            name: 'shopper can check out',
            status: 'passed',
            duration: 4_210,
            filePath: 'e2e/checkout.spec.ts',
            suite: ['checkout'],
            retries: retried ? 1 : 0,
            flaky: retried,
            ...(retried
              ? {
                  retryAttempts: [
                    {
                      attempt: 1,
                      status: 'failed',
                      duration: 5_000,
                      message: 'Timeout 5000ms exceeded waiting for "Pay"',
                    },
                  ],
                }
              : {}),
          },
          {
            name: 'shopper can search',
            status: 'passed',
            duration: 1_870,
            filePath: 'e2e/search.spec.ts',
            suite: ['search'],
          },
        ],
      },
    },
    null,
    2,
  )}\n`;
}

/** Delivery events for the same runs: every commit deployed to production; the fifth rolled back. */
export function generateDemoEvents(runs: DemoRun[]): Record<string, unknown>[] {
  return runs.flatMap((demoRun, index) => {
    const t = (minutes: number) =>
      new Date(Date.parse(demoRun.startedAt) + minutes * 60_000).toISOString();
    const common = { service: 'shop', source: 'demo', commit: demoRun.commit };
    const deploy = {
      ...common,
      environment: 'production',
      deployment: `deploy-${index + 1}`,
    };
    const list: Record<string, unknown>[] = [
      { ...common, type: 'commit_created', id: `c${index}`, occurredAt: t(-90) },
      { ...common, type: 'tests_passed', id: `t${index}`, occurredAt: t(12) },
      {
        ...common,
        type: 'policy_passed',
        id: `p${index}`,
        occurredAt: t(15),
        attributes: { checklist: 'change' },
      },
      { ...deploy, type: 'deploy_started', id: `s${index}`, occurredAt: t(20) },
    ];
    if (index === 4) {
      list.push(
        { ...deploy, type: 'rollback_triggered', id: `rt${index}`, occurredAt: t(50) },
        {
          ...deploy,
          type: 'rollback_finished',
          id: `rf${index}`,
          occurredAt: t(58),
          result: 'success',
        },
      );
    } else {
      list.push({
        ...deploy,
        type: 'deploy_finished',
        id: `f${index}`,
        occurredAt: t(30),
        result: 'success',
      });
    }
    return list;
  });
}

/** A hostile report (XXE): candor must refuse it and store nothing. */
export const hostileReport: DemoReport = {
  name: 'hostile/xxe.xml',
  content: `<?xml version="1.0"?>
<!DOCTYPE testsuite [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<testsuite name="evil"><testcase name="&secret;"/></testsuite>
`,
};
