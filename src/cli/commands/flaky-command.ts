import { Command } from 'commander';
import { buildFlakyReport, type FlakyReport } from '../../app/build-flaky-report.ts';
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

/** Runs the flaky analysis with the shared flags; used by `flaky`, `flaky budget`, `quarantine suggest`. */
export async function runFlakyAnalysis(
  context: CliContext,
  options: FlakyOptions,
): Promise<FlakyReport> {
  const windowMs = parseWindowFlag(options.window, '--window');
  const max = parseBudget(options.max);
  if (max === undefined)
    throw new CandorError(
      'usage',
      `--max: expected a share such as 0.5% or 0.005, got "${options.max}"`,
    );
  const minExecutions = parsePositiveInteger(options.minExecutions, '--min-executions');
  const owners = loadCodeowners(context.cwd);
  return withStore(context, options.db, (store) =>
    buildFlakyReport(store, {
      now: context.now(),
      windowMs,
      branch: options.branch,
      defaultBranch: options.defaultBranch ?? context.env['CANDOR_DEFAULT_BRANCH'] ?? 'main',
      repo: options.repo,
      maxBudget: max,
      classify: { minExecutions },
      ownersOf: owners,
    }),
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
    const report = await runFlakyAnalysis(context, options);
    if (options.json) context.stdout.write(`${JSON.stringify(report)}\n`);
    else if (options.markdown) context.stdout.write(renderFlakyMarkdown(report));
    else context.stdout.write(renderFlakyText(report));
    setExitCode(exitCodes.ok);
  });
  flaky.addCommand(
    addAnalysisOptions(
      new Command('budget').description(
        'the flake budget: exit 1 when flaky executions exceed --max of all executions',
      ),
    ).action(async (options: FlakyOptions) => {
      const report = await runFlakyAnalysis(context, options);
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

function counts(report: FlakyReport): string {
  const by = (c: string) => report.tests.filter((t) => t.classification === c).length;
  return `${report.tests.length} tests: ${by('flaky')} flaky, ${by('broken')} broken, ${by('healthy')} healthy, ${by('insufficient-data')} with too little data`;
}

function renderFlakyText(report: FlakyReport): string {
  const notable = report.tests.filter(
    (t) => t.classification === 'flaky' || t.classification === 'broken',
  );
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

function renderBudgetText(report: FlakyReport): string {
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

function renderFlakyMarkdown(report: FlakyReport): string {
  const notable = report.tests.filter(
    (t) => t.classification === 'flaky' || t.classification === 'broken',
  );
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

function renderBudgetMarkdown(report: FlakyReport): string {
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
