import type { FlakyAnalysis } from '../../app/flaky/build-flaky-report.ts';
import { formatPercent as percent } from '../render/format-percent.ts';
import type { Block, Document } from '../render/renderer.ts';

function counts(report: FlakyAnalysis): string {
  const by = report.counts;
  return `${report.budget.testsSeen} tests: ${by.flaky} flaky, ${by.broken} broken, ${by.healthy} healthy, ${by['insufficient-data']} with too little data`;
}

/**
 * `candor flaky`: the window and the class counts, the flaky and broken tests, their hints, the
 * infrastructure events left out, and the flake budget. Plain output keeps one line per hint and
 * per event and the budget in one line; rich output has a heading, the hints in the table and
 * the budget's own summary.
 */
export function describeFlakyReport(report: FlakyAnalysis): Document {
  const { notable } = report;
  const b = report.budget;
  const blocks: Block[] = [
    {
      kind: 'heading',
      level: 3,
      text: `candor: flaky tests (${report.window.from.slice(0, 10)} → ${report.window.to.slice(0, 10)})`,
      only: 'rich',
    },
    {
      kind: 'paragraph',
      text: `window ${report.window.from.slice(0, 16)} → ${report.window.to.slice(0, 16)} UTC; ${counts(report)}`,
      only: 'plain',
    },
    { kind: 'paragraph', text: counts(report), only: 'rich' },
  ];
  if (notable.length > 0) {
    blocks.push(
      {
        kind: 'table',
        only: 'plain',
        columns: [
          { header: 'test' },
          { header: 'class' },
          { header: 'flaky rate' },
          { header: 'runs' },
          { header: 'failures' },
          { header: 'signals' },
          { header: 'last flaky' },
        ],
        rows: notable.map((t) => [
          t.key,
          t.classification,
          percent(t.flakyRate),
          t.executions,
          t.failures,
          t.signals.join(',') || '-',
          t.lastFlakyAt?.slice(0, 10),
        ]),
      },
      {
        kind: 'list',
        only: 'plain',
        items: notable
          .filter((t) => (t.hints?.length ?? 0) > 0)
          .map((t) => `hint ${t.key}: ${t.hints?.join('; ')}`),
      },
      {
        kind: 'table',
        only: 'rich',
        columns: [
          { header: 'test' },
          { header: 'class' },
          { header: 'flaky rate', align: 'right' },
          { header: 'runs' },
          { header: 'failures' },
          { header: 'signals' },
          { header: 'hints' },
        ],
        rows: notable.map((t) => [
          { code: t.key },
          t.classification,
          percent(t.flakyRate),
          t.executions,
          t.failures,
          t.signals.join(', '),
          t.hints?.join('; ') ?? '',
        ]),
      },
    );
  }
  blocks.push({
    kind: 'list',
    only: 'plain',
    items: report.systemicRuns.map(
      (run) =>
        `infrastructure event: run ${run.runId} (${run.at.slice(0, 16)}) failed ${run.failed} of ${run.tests} tests; not counted as flakiness`,
    ),
  });
  if (report.systemicRuns.length > 0)
    blocks.push({
      kind: 'paragraph',
      only: 'rich',
      text: `${report.systemicRuns.length} infrastructure event(s) not counted as flakiness.`,
    });
  blocks.push(
    {
      kind: 'paragraph',
      only: 'plain',
      text: `flake budget: ${percent(b.rate)} of ${b.executions} executions were flaky (max ${percent(b.max)})${b.overBudget ? ' — OVER BUDGET' : ''}`,
    },
    countedParagraph(report, 'plain'),
    ...budgetSummary(report),
  );
  return { blocks };
}

/**
 * What the budget counts, said plainly in every output (docs/adr/0015): every kind of flakiness
 * the classification uses, by kind.
 */
function countedParagraph(report: Pick<FlakyAnalysis, 'budget'>, only: 'plain' | 'rich'): Block {
  const { retry, sameCommit, failureRate } = report.budget.bySignal;
  return {
    kind: 'paragraph',
    only,
    text: `flaky executions counted: ${retry} passed on retry, ${sameCommit} failed on a commit where the test also passed, ${failureRate} failed in tests flaky by failure and flip rate`,
  };
}

/** The flake budget as a rich report shows it: a verdict heading, the counts, the top spenders. */
function budgetSummary(report: Pick<FlakyAnalysis, 'budget'>): Block[] {
  const b = report.budget;
  const blocks: Block[] = [
    {
      kind: 'heading',
      level: 4,
      only: 'rich',
      text: `${b.overBudget ? '❌' : '✅'} flake budget: ${percent(b.rate)} (max ${percent(b.max)})`,
    },
    {
      kind: 'paragraph',
      only: 'rich',
      text: `${b.flakyExecutions} flaky of ${b.executions} executions; ${b.testsFlakyAtLeastOnce} of ${b.testsSeen} tests flaky at least once.`,
    },
    countedParagraph(report, 'rich'),
  ];
  if (b.topSpenders.length > 0)
    blocks.push({
      kind: 'table',
      only: 'rich',
      columns: [
        { header: 'spending most' },
        { header: 'flaky executions' },
        { header: 'share', align: 'right' },
      ],
      rows: b.topSpenders.map((s) => [{ code: s.key }, s.flakyExecutions, percent(s.share)]),
    });
  return blocks;
}

/**
 * `candor flaky budget`: over or under the budget, the share of tests flaky at least once, the
 * tests spending most of it, and the rate by suite, owner and week (plain output), or the
 * budget's summary (rich output).
 */
export function describeFlakeBudget(report: Pick<FlakyAnalysis, 'budget'>): Document {
  const b = report.budget;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      only: 'plain',
      text: `flake budget ${b.overBudget ? 'EXCEEDED' : 'ok'}: ${percent(b.rate)} flaky executions (${b.flakyExecutions} of ${b.executions}), max ${percent(b.max)}`,
    },
    {
      kind: 'paragraph',
      only: 'plain',
      text: `tests flaky at least once: ${b.testsFlakyAtLeastOnce} of ${b.testsSeen} (${percent(b.flakyTestShare)})`,
    },
    countedParagraph(report, 'plain'),
  ];
  if (b.topSpenders.length > 0)
    blocks.push({
      kind: 'table',
      only: 'plain',
      caption: 'spending most of it',
      columns: [{ header: 'test' }, { header: 'flaky executions' }, { header: 'share' }],
      rows: b.topSpenders.map((s) => [s.key, s.flakyExecutions, percent(s.share)]),
    });
  const slices = [
    ['by suite', 'suite', b.bySuite.slice(0, 10)],
    ['by owner', 'owner', b.byOwner.slice(0, 10)],
  ] as const;
  for (const [caption, header, rows] of slices)
    blocks.push({
      kind: 'table',
      only: 'plain',
      caption,
      columns: [{ header }, { header: 'executions' }, { header: 'flaky' }, { header: 'rate' }],
      rows: rows.map((s) => [s.name, s.executions, s.flakyExecutions, percent(s.rate)]),
    });
  blocks.push(
    {
      kind: 'table',
      only: 'plain',
      caption: 'weekly',
      columns: [
        { header: 'week of' },
        { header: 'executions' },
        { header: 'flaky' },
        { header: 'rate' },
      ],
      rows: b.weekly.map((w) => [w.week, w.executions, w.flakyExecutions, percent(w.rate)]),
    },
    ...budgetSummary(report),
  );
  return { blocks };
}
