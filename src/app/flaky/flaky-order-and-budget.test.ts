import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/lib/seeded-random.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { ingestReport, type RunRecord } from '../tests/ingest-report.ts';
import { bufferSource } from '../tests/report-source.ts';
import { buildFlakyReport, type FlakyQuery, type FlakyReport } from './build-flaky-report.ts';

const now = new Date('2026-11-22T12:00:00.000Z');
const hour = 3_600_000;

type Outcome = 'p' | 'f' | 'r';

/**
 * A JUnit report as jest-junit with `retryTimes` or Vitest's JUnit reporter with `--retry` write
 * it: a pass after a retry is a plain pass (`r` is written like `p`), a failure one <failure>.
 */
function hidingReport(outcomes: Record<string, Outcome>): string {
  const cases = Object.entries(outcomes).map(([name, o]) =>
    o === 'f'
      ? `<testcase classname="tests/cart.test.js" name="${name}" time="0.01"><failure message="boom"/></testcase>`
      : `<testcase classname="tests/cart.test.js" name="${name}" time="0.01"/>`,
  );
  return `<testsuites><testsuite name="tests/cart.test.js">${cases.join('')}</testsuite></testsuites>`;
}

/** One report per run; runs 2 hours apart going back from `now`, run i on commit c<i>. */
type Plan = { at: string; commit: string; branch: string; outcomes: Record<string, Outcome> }[];

function plan(sequences: Record<string, string>, branch = 'main'): Plan {
  const length = Math.max(...Object.values(sequences).map((s) => s.length));
  return Array.from({ length }, (_, i) => ({
    at: new Date(now.getTime() - (length - i) * 2 * hour).toISOString(),
    commit: `${branch}-c${i}`,
    branch,
    outcomes: Object.fromEntries(
      Object.entries(sequences).map(([name, s]) => [name, (s[i] ?? 'p') as Outcome]),
    ),
  }));
}

describe.each(testDialects)(
  'flaky classification in occurrence order, and its budget (%s)',
  (dialect) => {
    let store: TestStore;
    let runs = 0;
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(async () => {
      await store.drop();
    });

    const ingestPlan = async (repo: string, runsToIngest: Plan) => {
      for (const step of runsToIngest) {
        const run: RunRecord = {
          id: `run-${++runs}`,
          repo,
          branch: step.branch,
          defaultBranch: 'main',
          commitSha: step.commit,
          startedAt: step.at,
        };
        const file = await ingestReport(store, {
          run,
          source: bufferSource('junit.xml', Buffer.from(hidingReport(step.outcomes))),
          format: 'auto',
          allowEmpty: false,
          now: step.at,
        });
        expect(file.errors).toEqual([]);
      }
    };
    const report = (repo: string, extra: Partial<FlakyQuery> = {}): Promise<FlakyReport> =>
      buildFlakyReport(store, {
        now,
        windowMs: 14 * 86_400_000,
        defaultBranch: 'main',
        repo,
        maxBudget: 0.005,
        ownersOf: () => [],
        ...extra,
      });
    /** What a report says of each test, without what differs between repositories. */
    const judged = (r: FlakyReport) =>
      Object.fromEntries(
        r.tests.map((t) => [
          t.key,
          {
            classification: t.classification,
            signals: t.signals,
            flakyRate: t.flakyRate,
            flakyExecutions: t.flakyExecutions,
            flakyBySignal: t.flakyBySignal,
          },
        ]),
      );

    const sequences = {
      // Field report item 18: one failure among passes: pass, pass, fail, pass....
      'one failure in eighteen': 'ppppppfppppppp',
      'fails now and then': 'ppfppffpppfpppppfp',
      'broken since run 15': 'pppppppppppppppfff',
      steady: 'pppppppppppppppppp',
    };

    it('counts the first pass→fail flip: one failure in 18 runs on main is flaky by failure and flip rate', async () => {
      await ingestPlan('in-order', plan(sequences));
      const tests = judged(await report('in-order'));
      expect(tests['tests/cart.test.js::one failure in eighteen']).toMatchObject({
        classification: 'flaky',
        signals: ['failure-rate', 'flip-rate'],
        flakyExecutions: 1,
      });
      expect(tests['tests/cart.test.js::broken since run 15']?.classification).toBe('broken');
      expect(tests['tests/cart.test.js::steady']?.classification).toBe('healthy');
    });

    it('classifies a back-filled history as the same history ingested in order', async () => {
      const shuffled = [...plan(sequences)];
      const random = seededRandom(7);
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      // The newest run first, the rest back-filled in random order.
      await ingestPlan('back-filled', shuffled);
      const inOrder = await report('in-order');
      const backFilled = await report('back-filled');
      expect(judged(backFilled)).toEqual(judged(inOrder));
      expect(backFilled.budget).toEqual(inOrder.budget);
    });

    it("shows a retry-hiding reporter's flakiness in the budget, the flaky rate and by kind", async () => {
      const { budget, tests } = await report('in-order');
      const noisy = tests.find((t) => t.key === 'tests/cart.test.js::fails now and then')!;
      expect(noisy).toMatchObject({
        classification: 'flaky',
        failures: 5,
        flakyExecutions: 5,
        flakyRate: 0.277778,
        flakyBySignal: { retry: 0, sameCommit: 0, failureRate: 5 },
      });
      // 1 + 5 flaky executions; the broken test's failures are a defect, not flakiness.
      expect(budget).toMatchObject({
        executions: 18 * 4,
        flakyExecutions: 6,
        bySignal: { retry: 0, sameCommit: 0, failureRate: 6 },
        rate: 0.083333,
        overBudget: true,
        testsFlakyAtLeastOnce: 2,
      });
      expect(budget.weekly.reduce((n, w) => n + w.flakyExecutions, 0)).toBe(6);
    });

    it('reads only the branch asked for: its executions, flips and evidence', async () => {
      // On main the test fails and passes on one commit (same-commit evidence); on the feature
      // branch it only passes.
      await ingestPlan('branches', [
        {
          at: new Date(now.getTime() - 10 * hour).toISOString(),
          commit: 'm1',
          branch: 'main',
          outcomes: { t: 'f' },
        },
        {
          at: new Date(now.getTime() - 9 * hour).toISOString(),
          commit: 'm1',
          branch: 'main',
          outcomes: { t: 'p' },
        },
        ...plan({ t: 'ppp' }, 'feature'),
      ]);
      const main = (await report('branches', { branch: 'main' })).tests[0]!;
      expect(main).toMatchObject({ signals: ['same-commit'], executions: 2, flakyExecutions: 1 });
      expect(main.evidence?.map((e) => e.kind)).toEqual(['same-commit']);
      const feature = await report('branches', { branch: 'feature' });
      expect(feature.tests[0]).toMatchObject({
        executions: 3,
        failures: 0,
        signals: [],
        flakyExecutions: 0,
        lastFlakyAt: null,
      });
      expect(feature.tests[0]?.classification).not.toBe('flaky');
      expect(feature.budget).toMatchObject({ executions: 3, flakyExecutions: 0, rate: 0 });
    });
  },
);
