import { describe, expect, it } from 'vitest';
import type { FlakyAnalysis } from '../../app/flaky/build-flaky-report.ts';
import type { ReportsVerdict } from '../../app/quarantine/judge-reports.ts';
import type { DoraReport } from '../../core/delivery/dora/compute-dora.ts';
import type { RunVerdict } from '../../core/quarantine/judge-run.ts';
import { renderers } from '../render/renderers.ts';
import { describeDoraReport } from './describe-dora.ts';
import { describeFlakeBudget, describeFlakyReport } from './describe-flaky.ts';
import { describeVerdict } from './describe-verdict.ts';

// Pinned outputs: the text of each document is the text candor printed before documents existed
// (byte for byte, but for one percentage format: DORA rates now have two decimals, as every
// other rate), and its Markdown that Markdown but for trailing blank lines.
const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

const stats = (median: number | null, count: number) => ({
  median,
  p90: median,
  mean: median,
  count,
});
const budget = (over: boolean, spenders: boolean) => ({
  max: 0.005,
  rate: over ? 0.0495 : 0.001,
  executions: 182,
  flakyExecutions: 9,
  bySignal: { retry: 5, sameCommit: 3, failureRate: 1 },
  overBudget: over,
  testsSeen: 13,
  testsFlakyAtLeastOnce: 2,
  flakyTestShare: 0.153846,
  bySuite: [
    { name: 'com.shop.CheckoutTest', executions: 56, flakyExecutions: 5, rate: 0.089286 },
    { name: 'checkout|e2e', executions: 14, flakyExecutions: 4, rate: 0.285714 },
  ],
  byOwner: [{ name: '(unowned)', executions: 182, flakyExecutions: 9, rate: 0.049451 }],
  weekly: [
    { name: '2026-03-02', week: '2026-03-02', executions: 182, flakyExecutions: 9, rate: 0.049451 },
  ],
  topSpenders: spenders
    ? [
        { key: 'com.shop.CheckoutTest::appliesCoupon', flakyExecutions: 5, share: 0.555556 },
        { key: 'e2e/a|b.spec.ts::pays', flakyExecutions: 4, share: 0.444444 },
      ]
    : [],
});
const flaky: FlakyAnalysis = {
  window: { from: '2026-02-24T12:00:00.000Z', to: '2026-03-10T12:00:00.000Z' },
  notable: [
    {
      key: 'com.shop.CheckoutTest::appliesCoupon',
      name: 'appliesCoupon',
      suite: 'com.shop.CheckoutTest',
      file: null,
      classification: 'flaky',
      flakyRate: 0.357143,
      executions: 14,
      failures: 0,
      flakyExecutions: 5,
      flakyBySignal: { retry: 4, sameCommit: 1, failureRate: 0 },
      signals: ['retry', 'same-commit'],
      lastFlakyAt: '2026-03-06T12:00:00.000Z',
      owners: [],
      hints: [
        '4 of 4 failure messages mention a timeout',
        'failing runs recorded seed=3: replay with it',
      ],
    },
    {
      key: 'com.shop.InventoryTest::reserves|Stock',
      name: 'reservesStock',
      suite: null,
      file: null,
      classification: 'broken',
      flakyRate: 0,
      executions: 14,
      failures: 10,
      flakyExecutions: 0,
      flakyBySignal: { retry: 0, sameCommit: 0, failureRate: 0 },
      signals: [],
      lastFlakyAt: null,
      owners: ['@shop'],
    },
  ],
  counts: { flaky: 1, broken: 1, healthy: 10, 'insufficient-data': 1 },
  budget: budget(true, true),
  systemicRuns: [
    {
      runId: 'r7',
      at: '2026-03-01T06:00:00.000Z',
      branch: 'main',
      commit: 'abc',
      tests: 40,
      failed: 30,
    },
  ],
};
const quietFlaky: FlakyAnalysis = {
  window: flaky.window,
  notable: [],
  counts: { flaky: 0, broken: 0, healthy: 13, 'insufficient-data': 0 },
  budget: budget(false, false),
  systemicRuns: [],
};
const dora: DoraReport = {
  window: { from: '2026-02-08T12:00:00.000Z', to: '2026-03-10T12:00:00.000Z', days: 30 },
  environment: 'production',
  deployments: 14,
  deploymentFrequencyPerDay: 0.466667,
  changeFailureRate: 0.071429,
  failedDeployments: 1,
  leadTimeSeconds: stats(7200, 13),
  recoveryTimeSeconds: stats(480, 1),
  unrecoveredFailures: 0,
  timeToDetectSeconds: stats(null, 0),
  rollbackSuccessRate: 1,
  falsePositiveRate: 0.071429,
  falseNegativeRate: null,
  reworkRate: 0,
  stageLatency: [
    { from: 'commit_created', to: 'tests_passed', p50: 6120, p90: 6120, count: 14 },
    { from: 'tests_passed', to: 'policy_passed', p50: null, p90: null, count: 0 },
    { from: 'deploy_started', to: 'deploy_finished', p50: 200000, p90: 300000, count: 3 },
  ],
  incidentLinks: [],
  unlinkedIncidents: [],
  gates: [],
};

const verdict: RunVerdict = {
  verdict: 'fail',
  tests: 5,
  forgiven: [
    {
      key: 's::flaky one',
      status: 'failed',
      owner: '@o',
      reason: 'races | mocks',
      issue: 'https://issues.example/1',
    },
    { key: 's::other', status: 'failed', owner: '@p', reason: 'slow' },
  ],
  blocking: [
    { key: 's::new|failure', status: 'failed', message: 'NPE\nat line 2' },
    { key: 's::old', status: 'failed', expiredQuarantine: '2026-03-01' },
  ],
  flaky: [{ key: 's::retried', status: 'flaky' }],
};
const unreadable: ReportsVerdict['unreadable'] = [
  { path: 'broken.xml', errors: [{ message: 'unclosed tag: testcase', line: 1, column: 31 }] },
  { path: 'weird.json', errors: [{ message: 'results.tests[0].name: required' }] },
];

const verdictResult: ReportsVerdict = {
  judged: verdict,
  outcome: 'fail',
  reports: [],
  unreadable,
  matched: 3,
};

const expected = {
  flakyText: lines(
    'window 2026-02-24T12:00 → 2026-03-10T12:00 UTC; 13 tests: 1 flaky, 1 broken, 10 healthy, 1 with too little data',
    'test                                    class   flaky rate  runs  failures  signals            last flaky',
    '--------------------------------------  ------  ----------  ----  --------  -----------------  ----------',
    'com.shop.CheckoutTest::appliesCoupon    flaky   35.71%        14         0  retry,same-commit  2026-03-06',
    'com.shop.InventoryTest::reserves|Stock  broken  0.00%         14        10  -                  -',
    'hint com.shop.CheckoutTest::appliesCoupon: 4 of 4 failure messages mention a timeout; failing runs recorded seed=3: replay with it',
    'infrastructure event: run r7 (2026-03-01T06:00) failed 30 of 40 tests; not counted as flakiness',
    'flake budget: 4.95% of 182 executions were flaky (max 0.50%) — OVER BUDGET',
    'flaky executions counted: 5 passed on retry, 3 failed on a commit where the test also passed, 1 failed in tests flaky by failure and flip rate',
  ),
  flakyMarkdown: lines(
    '### candor: flaky tests (2026-02-24 → 2026-03-10)',
    '',
    '13 tests: 1 flaky, 1 broken, 10 healthy, 1 with too little data',
    '',
    '| test | class | flaky rate | runs | failures | signals | hints |',
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
    '| `com.shop.CheckoutTest::appliesCoupon` | flaky | 35.71% | 14 | 0 | retry, same-commit | 4 of 4 failure messages mention a timeout; failing runs recorded seed=3: replay with it |',
    '| `com.shop.InventoryTest::reserves\\|Stock` | broken | 0.00% | 14 | 10 |  |  |',
    '',
    '1 infrastructure event(s) not counted as flakiness.',
    '',
    '#### ❌ flake budget: 4.95% (max 0.50%)',
    '',
    '9 flaky of 182 executions; 2 of 13 tests flaky at least once.',
    '',
    'flaky executions counted: 5 passed on retry, 3 failed on a commit where the test also passed, 1 failed in tests flaky by failure and flip rate',
    '',
    '| spending most | flaky executions | share |',
    '| --- | ---: | ---: |',
    '| `com.shop.CheckoutTest::appliesCoupon` | 5 | 55.56% |',
    '| `e2e/a\\|b.spec.ts::pays` | 4 | 44.44% |',
  ),
  budgetText: lines(
    'flake budget EXCEEDED: 4.95% flaky executions (9 of 182), max 0.50%',
    'tests flaky at least once: 2 of 13 (15.38%)',
    'flaky executions counted: 5 passed on retry, 3 failed on a commit where the test also passed, 1 failed in tests flaky by failure and flip rate',
    'spending most of it:',
    'test                                  flaky executions  share',
    '------------------------------------  ----------------  ------',
    'com.shop.CheckoutTest::appliesCoupon                 5  55.56%',
    'e2e/a|b.spec.ts::pays                                4  44.44%',
    'by suite:',
    'suite                  executions  flaky  rate',
    '---------------------  ----------  -----  ------',
    'com.shop.CheckoutTest          56      5  8.93%',
    'checkout|e2e                   14      4  28.57%',
    'by owner:',
    'owner      executions  flaky  rate',
    '---------  ----------  -----  -----',
    '(unowned)         182      9  4.95%',
    'weekly:',
    'week of     executions  flaky  rate',
    '----------  ----------  -----  -----',
    '2026-03-02         182      9  4.95%',
  ),
  budgetMarkdown: lines(
    '#### ❌ flake budget: 4.95% (max 0.50%)',
    '',
    '9 flaky of 182 executions; 2 of 13 tests flaky at least once.',
    '',
    'flaky executions counted: 5 passed on retry, 3 failed on a commit where the test also passed, 1 failed in tests flaky by failure and flip rate',
    '',
    '| spending most | flaky executions | share |',
    '| --- | ---: | ---: |',
    '| `com.shop.CheckoutTest::appliesCoupon` | 5 | 55.56% |',
    '| `e2e/a\\|b.spec.ts::pays` | 4 | 44.44% |',
  ),
  quietMarkdown: lines(
    '### candor: flaky tests (2026-02-24 → 2026-03-10)',
    '',
    '13 tests: 0 flaky, 0 broken, 13 healthy, 0 with too little data',
    '',
    '#### ✅ flake budget: 0.10% (max 0.50%)',
    '',
    '9 flaky of 182 executions; 2 of 13 tests flaky at least once.',
    '',
    'flaky executions counted: 5 passed on retry, 3 failed on a commit where the test also passed, 1 failed in tests flaky by failure and flip rate',
  ),
  doraText: lines(
    'DORA, production, 2026-02-08 → 2026-03-10',
    'metric                                        value',
    '--------------------------------------------  ----------------------------------------------------------------',
    'deployments                                   14 (0.47 per day)',
    'lead time for changes                         median 2.0 h, p90 2.0 h, mean 2.0 h (n=13)',
    'change failure rate                           7.14% (1 failed)',
    'failed deployment recovery time               median 8.0 min, p90 8.0 min, mean 8.0 min (n=1); 0 not recovered',
    'deployment rework rate                        0.00%',
    'time to detect                                median -, p90 -, mean - (n=0)',
    'rollback success rate                         100.00%',
    'gate false positives (blocked, shipped fine)  7.14%',
    'gate false negatives (passed, then failed)    n/a',
    '',
    'stage                             p50    p90     n',
    '--------------------------------  -----  -----  --',
    'commit_created → tests_passed     1.7 h  1.7 h  14',
    'deploy_started → deploy_finished  2.3 d  3.5 d   3',
  ),
  doraMarkdown: lines(
    '### DORA, production, 2026-02-08 → 2026-03-10',
    '',
    '| metric | value |',
    '| --- | --- |',
    '| deployments | 14 (0.47 per day) |',
    '| lead time for changes | median 2.0 h, p90 2.0 h, mean 2.0 h (n=13) |',
    '| change failure rate | 7.14% (1 failed) |',
    '| failed deployment recovery time | median 8.0 min, p90 8.0 min, mean 8.0 min (n=1); 0 not recovered |',
    '| deployment rework rate | 0.00% |',
    '| time to detect | median -, p90 -, mean - (n=0) |',
    '| rollback success rate | 100.00% |',
    '| gate false positives (blocked, shipped fine) | 7.14% |',
    '| gate false negatives (passed, then failed) | n/a |',
    '',
    '| stage | p50 | p90 | n |',
    '| --- | --- | --- | ---: |',
    '| commit_created → tests_passed | 1.7 h | 1.7 h | 14 |',
    '| deploy_started → deploy_finished | 2.3 d | 3.5 d | 3 |',
  ),
  verdictText: lines(
    '✗ broken.xml:1:31: unclosed tag: testcase',
    '✗ weird.json: results.tests[0].name: required',
    '✗ failed: s::new|failure: NPE',
    '✗ failed: s::old (quarantine expired 2026-03-01)',
    '~ forgiven (quarantined, owner @o): s::flaky one',
    '~ forgiven (quarantined, owner @p): s::other',
    '! flaky (passed on retry): s::retried',
    'verdict: fail — 5 tests, 2 blocking failure(s), 2 forgiven, 1 flaky',
  ),
  verdictMarkdown: lines(
    '### ❌ candor verdict: fail',
    '',
    '5 tests · 2 blocking · 2 forgiven · 1 flaky',
    '',
    '| unreadable report | error |',
    '| --- | --- |',
    '| broken.xml | unclosed tag: testcase |',
    '| weird.json | results.tests[0].name: required |',
    '',
    '| blocking failure | message |',
    '| --- | --- |',
    '| `s::new\\|failure` | NPE |',
    '| `s::old` | quarantine expired 2026-03-01 |',
    '',
    '| forgiven (quarantined) | owner | reason |',
    '| --- | --- | --- |',
    '| `s::flaky one` | @o | [races \\| mocks](https://issues.example/1) |',
    '| `s::other` | @p | slow |',
    '',
    '<details><summary>flaky: passed on retry</summary>',
    '',
    '- `s::retried`',
    '',
    '</details>',
  ),
};

describe('cli/documents', () => {
  it.each([
    ['flaky, text', () => renderers.text.render(describeFlakyReport(flaky)), expected.flakyText],
    [
      'flaky, Markdown',
      () => renderers.markdown.render(describeFlakyReport(flaky)),
      expected.flakyMarkdown,
    ],
    [
      'flaky budget, text',
      () => renderers.text.render(describeFlakeBudget(flaky)),
      expected.budgetText,
    ],
    [
      'flaky budget, Markdown',
      () => renderers.markdown.render(describeFlakeBudget(flaky)),
      expected.budgetMarkdown,
    ],
    [
      'flaky with nothing notable, Markdown',
      () => renderers.markdown.render(describeFlakyReport(quietFlaky)),
      expected.quietMarkdown,
    ],
    ['dora, text', () => renderers.text.render(describeDoraReport(dora)), expected.doraText],
    [
      'dora, Markdown',
      () => renderers.markdown.render(describeDoraReport(dora)),
      expected.doraMarkdown,
    ],
    [
      'verdict, text',
      () => renderers.text.render(describeVerdict(verdictResult)),
      expected.verdictText,
    ],
    [
      'verdict, Markdown',
      () => renderers.markdown.render(describeVerdict(verdictResult)),
      expected.verdictMarkdown,
    ],
  ])('renders %s as candor always printed it', (_name, render, text) => {
    expect(render()).toBe(text);
  });

  it('leaves the stage table out of the DORA report when no stage has samples', () => {
    const text = renderers.text.render(describeDoraReport({ ...dora, stageLatency: [] }));
    expect(text).not.toContain('stage');
    expect(text.endsWith('n/a\n')).toBe(true);
  });

  it('says why a verdict found no tests', () => {
    const none: RunVerdict = {
      verdict: 'no-tests',
      tests: 0,
      forgiven: [],
      blocking: [],
      flaky: [],
    };
    const result = (matched: number): ReportsVerdict => ({
      judged: none,
      outcome: 'no-tests',
      reports: [],
      unreadable: [],
      matched,
    });
    expect(renderers.text.render(describeVerdict(result(0)))).toBe(
      'verdict: no tests — no report file matched\n',
    );
    expect(renderers.text.render(describeVerdict(result(2)))).toBe(
      'verdict: no tests — the reports hold zero tests\n',
    );
    expect(renderers.markdown.render(describeVerdict(result(0)))).toBe(
      '### ⚠️ candor verdict: no-tests\n\n0 tests · 0 blocking · 0 forgiven · 0 flaky\n',
    );
  });
});

describe('describeDoraReport, per gate', () => {
  it('prints each gate with its false positives, catches and false negatives', () => {
    const text = renderers.text.render(
      describeDoraReport({
        ...dora,
        gates: [
          {
            checklist: 'change',
            blocked: 4,
            blockedThenShipped: 1,
            trueCatches: 3,
            passed: 10,
            passedThenFailed: 2,
            falsePositiveShare: 0.25,
            falseNegativeShare: 0.2,
            falsePositiveConditions: [{ name: 'todo TODO/FIXME', count: 1 }],
          },
        ],
      }),
    );
    expect(text).toContain('gates (false positive: blocked, then shipped unchanged and fine');
    expect(text).toMatch(
      /change\s+4\s+1 \(25\.00%\)\s+3\s+10\s+2 \(20\.00%\)\s+todo TODO\/FIXME ×1/,
    );
  });
});
