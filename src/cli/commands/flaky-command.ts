import { Command } from 'commander';
import {
  analyzeFlakyTests,
  streamFlakyTests,
  type FlakyAnalysis,
  type FlakyQuery,
  type FlakyTestEntry,
} from '../../app/build-flaky-report.ts';
import type { Store } from '../../store/open-store.ts';
import { loadCodeowners } from '../../app/codeowners.ts';
import { CandorError } from '../../core/candor-error.ts';
import { parseBudget } from '../../core/flake-budget.ts';
import { markdownCell as cell, parsePositiveInteger, parseWindowFlag } from '../parse-flags.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';
import { renderTable } from '../render-table.ts';

type FlakyOptions = {
  window: string;
  branch?: string;
  defaultBranch?: string;
  repo?: string;
  max: string;
  minExecutions: string;
  db?: string;
  json?: boolean;
  markdown?: boolean;
};

const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(2)}%`);

/**
 * Runs the flaky analysis with the shared flags and hands it to `work` while the store is open
 * (to stream the long tail); used by `flaky`, `flaky budget`, `quarantine suggest`.
 */
export async function runFlakyAnalysis<T>(
  context: CliContext,
  options: FlakyOptions,
  work: (analysis: FlakyAnalysis, store: Store, query: FlakyQuery) => Promise<T> | T,
  analysisOptions: { keepRest?: boolean } = {},
): Promise<T> {
  const windowMs = parseWindowFlag(options.window, '--window');
  const max = parseBudget(options.max);
  if (max === undefined)
    throw new CandorError(
      'usage',
      `--max: expected a share such as 0.5% or 0.005, got "${options.max}"`,
    );
  const minExecutions = parsePositiveInteger(options.minExecutions, '--min-executions');
  const owners = loadCodeowners(context.cwd);
  const query: FlakyQuery = {
    now: context.now(),
    windowMs,
    branch: options.branch,
    defaultBranch: options.defaultBranch ?? context.env['CANDOR_DEFAULT_BRANCH'] ?? 'main',
    repo: options.repo,
    maxBudget: max,
    classify: { minExecutions },
    ownersOf: owners,
  };
  return withStore(context, options.db, async (store) =>
    work(await analyzeFlakyTests(store, query, analysisOptions), store, query),
  );
}

/**
 * Writes `candor flaky --json` test by test, so a history of millions of tests never has to fit
 * in memory as one string: the same JSON as `JSON.stringify(report)`.
 */
async function writeFlakyJson(
  context: CliContext,
  analysis: FlakyAnalysis,
  tests: AsyncIterable<FlakyTestEntry[]>,
): Promise<void> {
  context.stdout.write(`{"window":${JSON.stringify(analysis.window)},"tests":[`);
  let first = true;
  for await (const chunk of tests) {
    const text = chunk.map((test) => JSON.stringify(test)).join(',');
    context.stdout.write(first ? text : `,${text}`);
    first = false;
  }
  context.stdout.write(
    `],"budget":${JSON.stringify(analysis.budget)},"systemicRuns":${JSON.stringify(analysis.systemicRuns)}}\n`,
  );
}

export function addAnalysisOptions(command: Command): Command {
  return command
    .option('--window <window>', 'history to look at', '14d')
    .option('--branch <name>', 'only runs on this branch')
    .option(
      '--default-branch <name>',
      'the default branch (default: $CANDOR_DEFAULT_BRANCH, else main)',
    )
    .option('--repo <name>', 'only this repository')
    .option('--max <share>', 'flake budget: flaky executions ÷ all executions', '0.5%')
    .option('--min-executions <n>', 'executions needed before rates count', '10')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .option('--json', 'print JSON')
    .option('--markdown', 'print Markdown (GitHub step summaries, PR comments)');
}

export function flakyCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  const flaky = addAnalysisOptions(
    new Command('flaky')
      .description('classify every test of the window: flaky, broken, healthy or insufficient-data')
      .enablePositionalOptions(),
  ).action(async (options: FlakyOptions) => {
    await runFlakyAnalysis(
      context,
      options,
      async (analysis, store, query) => {
        if (options.json)
          await writeFlakyJson(context, analysis, streamFlakyTests(store, query, analysis));
        else if (options.markdown) context.stdout.write(renderFlakyMarkdown(analysis));
        else context.stdout.write(renderFlakyText(analysis));
      },
      { keepRest: options.json === true },
    );
    setExitCode(exitCodes.ok);
  });
  flaky.addCommand(
    addAnalysisOptions(
      new Command('budget').description(
        'the flake budget: exit 1 when flaky executions exceed --max of all executions',
      ),
    ).action(async (options: FlakyOptions) => {
      const report = await runFlakyAnalysis(context, options, (analysis) => analysis);
      const { budget } = report;
      if (options.json)
        context.stdout.write(`${JSON.stringify({ window: report.window, ...budget })}\n`);
      else if (options.markdown) context.stdout.write(renderBudgetMarkdown(report));
      else context.stdout.write(renderBudgetText(report));
      setExitCode(budget.overBudget ? exitCodes.rejected : exitCodes.ok);
    }),
  );
  return flaky;
}

function counts(report: FlakyAnalysis): string {
  const by = report.counts;
  return `${report.budget.testsSeen} tests: ${by.flaky} flaky, ${by.broken} broken, ${by.healthy} healthy, ${by['insufficient-data']} with too little data`;
}

function renderFlakyText(report: FlakyAnalysis): string {
  const notable = report.notable;
  const out = [
    `window ${report.window.from.slice(0, 16)} → ${report.window.to.slice(0, 16)} UTC; ${counts(report)}`,
  ];
  if (notable.length > 0) {
    out.push(
      renderTable(
        ['test', 'class', 'flaky rate', 'runs', 'failures', 'signals', 'last flaky'],
        notable.map((t) => [
          t.key,
          t.classification,
          percent(t.flakyRate),
          t.executions,
          t.failures,
          t.signals.join(',') || '-',
          t.lastFlakyAt?.slice(0, 10),
        ]),
      ).trimEnd(),
    );
    for (const t of notable.filter((n) => (n.hints?.length ?? 0) > 0))
      out.push(`hint ${t.key}: ${t.hints?.join('; ')}`);
  }
  for (const run of report.systemicRuns) {
    out.push(
      `infrastructure event: run ${run.runId} (${run.at.slice(0, 16)}) failed ${run.failed} of ${run.tests} tests; not counted as flakiness`,
    );
  }
  const b = report.budget;
  out.push(
    `flake budget: ${percent(b.rate)} of ${b.executions} executions were flaky (max ${percent(b.max)})${b.overBudget ? ' — OVER BUDGET' : ''}`,
  );
  return `${out.join('\n')}\n`;
}

function renderBudgetText(report: FlakyAnalysis): string {
  const b = report.budget;
  const out = [
    `flake budget ${b.overBudget ? 'EXCEEDED' : 'ok'}: ${percent(b.rate)} flaky executions (${b.flakyExecutions} of ${b.executions}), max ${percent(b.max)}`,
    `tests flaky at least once: ${b.testsFlakyAtLeastOnce} of ${b.testsSeen} (${percent(b.flakyTestShare)})`,
  ];
  if (b.topSpenders.length > 0) {
    out.push(
      'spending most of it:',
      renderTable(
        ['test', 'flaky executions', 'share'],
        b.topSpenders.map((s) => [s.key, s.flakyExecutions, percent(s.share)]),
      ).trimEnd(),
    );
  }
  out.push(
    'by suite:',
    renderTable(
      ['suite', 'executions', 'flaky', 'rate'],
      b.bySuite.slice(0, 10).map((s) => [s.name, s.executions, s.flakyExecutions, percent(s.rate)]),
    ).trimEnd(),
  );
  out.push(
    'by owner:',
    renderTable(
      ['owner', 'executions', 'flaky', 'rate'],
      b.byOwner.slice(0, 10).map((s) => [s.name, s.executions, s.flakyExecutions, percent(s.rate)]),
    ).trimEnd(),
  );
  out.push(
    'weekly:',
    renderTable(
      ['week of', 'executions', 'flaky', 'rate'],
      b.weekly.map((w) => [w.week, w.executions, w.flakyExecutions, percent(w.rate)]),
    ).trimEnd(),
  );
  return `${out.join('\n')}\n`;
}

function renderFlakyMarkdown(report: FlakyAnalysis): string {
  const notable = report.notable;
  const out = [
    `### candor: flaky tests (${report.window.from.slice(0, 10)} → ${report.window.to.slice(0, 10)})`,
    '',
    counts(report),
    '',
  ];
  if (notable.length > 0) {
    out.push(
      '| test | class | flaky rate | runs | failures | signals | hints |',
      '| --- | --- | ---: | ---: | ---: | --- | --- |',
    );
    for (const t of notable) {
      out.push(
        `| \`${cell(t.key)}\` | ${t.classification} | ${percent(t.flakyRate)} | ${t.executions} | ${t.failures} | ${t.signals.join(', ')} | ${cell(t.hints?.join('; ') ?? '')} |`,
      );
    }
    out.push('');
  }
  if (report.systemicRuns.length > 0)
    out.push(`${report.systemicRuns.length} infrastructure event(s) not counted as flakiness.`, '');
  out.push(renderBudgetMarkdown(report));
  return `${out.join('\n')}\n`;
}

function renderBudgetMarkdown(report: FlakyAnalysis): string {
  const b = report.budget;
  const out = [
    `#### ${b.overBudget ? '❌' : '✅'} flake budget: ${percent(b.rate)} (max ${percent(b.max)})`,
    '',
    `${b.flakyExecutions} flaky of ${b.executions} executions; ${b.testsFlakyAtLeastOnce} of ${b.testsSeen} tests flaky at least once.`,
    '',
  ];
  if (b.topSpenders.length > 0) {
    out.push(
      '| spending most | flaky executions | share |',
      '| --- | ---: | ---: |',
      ...b.topSpenders.map(
        (s) => `| \`${cell(s.key)}\` | ${s.flakyExecutions} | ${percent(s.share)} |`,
      ),
      '',
    );
  }
  return `${out.join('\n')}\n`;
}
