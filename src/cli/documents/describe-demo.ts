import { demoRepo, type DemoResult } from '../../app/demo/run-demo.ts';
import { describeStoreLocation } from '../../store/open-store.ts';
import { exitCodeOfGate, exitCodeOfVerdict } from '../cli-context.ts';
import type { Block, Document } from '../render/renderer.ts';
import { describeDoraReport } from './describe-dora.ts';
import { describeGate } from './describe-gate.ts';
import { describeFlakeBudget, describeFlakyReport } from './describe-flaky.ts';
import { describeIngestedFile, describeIngestSummary } from './describe-ingest.ts';
import { describeRuns } from './describe-runs.ts';
import { describeTestHistory } from './describe-test-history.ts';
import { describeVerdict } from './describe-verdict.ts';

/** A step of the demo: the command line, then what that command prints. */
function step(command: string, ...documents: Document[]): Block {
  return {
    kind: 'section',
    blocks: [{ kind: 'paragraph', text: `$ ${command}` }, ...documents.flatMap((d) => d.blocks)],
  };
}

/**
 * `candor demo`: what candor found first (the flaky and broken tests, the flake budget, the
 * verdict), then how it got there (ingest, runs, histories, the four seed checklists, DORA, a
 * refused attack), each step as
 * the command it stands for printed as that command prints it, and last the commands to try on
 * data of one's own; `db` is the database the user named, if any.
 */
export function describeDemo(demo: DemoResult, db?: string): Document {
  const { lastIngest, verdict } = demo;
  const ingested = (summary: DemoResult['lastIngest']['summary']) => [
    ...summary.files.map(describeIngestedFile),
    describeIngestSummary(summary),
  ];
  const flag = db === undefined ? ' --db demo.db' : ` --db ${db}`;
  return {
    blocks: [
      {
        kind: 'section',
        blocks: [
          {
            kind: 'paragraph',
            text: `candor demo: ${demo.runs} CI runs of ${demoRepo} (reports in a temporary directory, removed at the end)`,
          },
          {
            kind: 'paragraph',
            text:
              `planted in this data: com.shop.CheckoutTest::appliesCoupon passes only after a rerun in some runs (flaky)` +
              (demo.brokenSince === undefined
                ? '.'
                : `; com.shop.InventoryTest::reservesStock fails on every commit since ${demo.brokenSince.slice(0, 10)} (broken).`) +
              ' What candor finds:',
          },
        ],
      },
      step('candor flaky', describeFlakyReport(demo.flaky)),
      step('candor flaky budget --max 0.5%', budgetHeadline(describeFlakeBudget(demo.flaky))),
      step(
        `candor verdict ${verdict.reports}   # ${verdict.quarantined.key.split('::')[1] ?? verdict.quarantined.key} is quarantined by ${verdict.quarantined.owner} (mode ${verdict.quarantined.mode})`,
        describeVerdict(verdict.result),
        {
          blocks: [
            { kind: 'paragraph', text: `exit ${exitCodeOfVerdict(verdict.result.outcome)}` },
          ],
        },
      ),
      step(
        `candor ingest ${lastIngest.directory} --commit ${lastIngest.commit.slice(0, 10)}`,
        ...ingested(lastIngest.summary),
      ),
      step('candor runs', describeRuns(demo.runList)),
      ...demo.histories.map(({ key, history }) =>
        step(`candor tests show "${key}"`, describeTestHistory(history)),
      ),
      ...demo.gates.map((run, index) =>
        step(
          `candor gate ${run.checklist}${index === 0 ? "   # the seed's four checklists of the demo's candor.yml" : ''}`,
          describeGate(run),
          { blocks: [{ kind: 'paragraph', text: `exit ${exitCodeOfGate(run.result)}` }] },
        ),
      ),
      step('candor dora --window 30d', describeDoraReport(demo.dora)),
      step(
        `candor ingest ${demo.hostile.path}   # an XXE attack: refused, nothing stored`,
        ...ingested(demo.hostile.summary),
      ),
      {
        kind: 'paragraph',
        text:
          db === undefined
            ? `latest run ${demo.latestRun ?? ''}; the throwaway database is gone.`
            : `latest run ${demo.latestRun ?? ''}; database: ${describeStoreLocation(demo.location)}`,
      },
      { kind: 'paragraph', text: 'next, try:' },
      {
        kind: 'list',
        items: [
          ...(db === undefined ? [`keep the data to explore it: candor demo${flag}`] : []),
          `candor flaky${flag}`,
          `candor tests show "com.shop.CheckoutTest::appliesCoupon"${flag}`,
          `candor quarantine suggest${flag}`,
          `candor dora --window 30d${flag}`,
          'your own reports: candor ingest <reports...> (JUnit XML, CTRF, TRX, NUnit, xUnit, go test -json), then candor flaky',
          `the dashboard on this data: candor serve${flag} --public-dashboard, then open http://127.0.0.1:7420/`,
        ],
      },
    ],
  };
}

/** The budget without its breakdown tables (by suite, owner, week), so the verdict fits the first screen. */
function budgetHeadline(budget: Document): Document {
  const breakdowns = new Set(['by suite', 'by owner', 'weekly']);
  return {
    blocks: budget.blocks.filter((b) => !(b.kind === 'table' && breakdowns.has(b.caption ?? ''))),
  };
}
