import { Command, Option } from 'commander';
import { expandReportPaths } from '../../app/tests/expand-report-paths.ts';
import { defaultQuarantinePath } from '../../app/quarantine/quarantine-store.ts';
import { readReportTests } from '../../app/tests/read-report-tests.ts';
import { judgeRun, type RunVerdict } from '../../core/quarantine/judge-run.ts';
import { toIsoDate } from '../../core/quarantine/quarantine.ts';
import { reportFormats, type ReportFormat } from '../../readers/test-results/test-result-readers.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { markdownCell as cell } from '../parse-flags.ts';
import { loadQuarantineOrThrow } from './quarantine-command.ts';

type VerdictOptions = {
  quarantine: string;
  variant?: string;
  format: ReportFormat | 'auto';
  json?: boolean;
  markdown?: boolean;
};

export function verdictCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('verdict')
    .description(
      'judge one CI run from its reports: exit 0 when every failure is quarantined, 1 when one is not, 3 when there are no tests',
    )
    .argument('<reports...>', 'report files, directories or globs of this run')
    .option('--quarantine <path>', 'the quarantine file', defaultQuarantinePath)
    .option('--variant <name>', 'the run variant, as given to `candor ingest`')
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['auto', ...reportFormats])
        .default('auto'),
    )
    .option('--json', 'print JSON')
    .option('--markdown', 'print Markdown (for GitHub step summaries and PR comments)')
    .action(async (patterns: string[], options: VerdictOptions) => {
      const { file } = loadQuarantineOrThrow(context, options.quarantine);
      const { files } = await expandReportPaths(patterns, context.cwd);
      const read = await readReportTests(files, {
        variant: options.variant,
        format: options.format,
      });
      const verdict = judgeRun(read.tests, file.tests, toIsoDate(context.now()));
      const unreadable = read.files.filter((f) => f.errors.length > 0);
      // A report that cannot be read may hide failures: never green.
      const outcome =
        unreadable.length > 0 && verdict.verdict === 'pass' ? 'fail' : verdict.verdict;
      const exitCode =
        outcome === 'no-tests'
          ? exitCodes.noTests
          : outcome === 'fail'
            ? exitCodes.rejected
            : exitCodes.ok;
      if (options.json) {
        context.stdout.write(
          `${JSON.stringify({ ...verdict, verdict: outcome, exitCode, reports: read.files })}\n`,
        );
      } else if (options.markdown) {
        context.stdout.write(renderVerdictMarkdown(verdict, outcome, unreadable));
      } else {
        context.stdout.write(renderVerdictText(verdict, outcome, unreadable, files.length));
      }
      setExitCode(exitCode);
    });
}

type Unreadable = {
  path: string;
  errors: { message: string; line?: number | undefined; column?: number | undefined }[];
}[];

function renderVerdictText(
  v: RunVerdict,
  outcome: RunVerdict['verdict'],
  unreadable: Unreadable,
  reportCount: number,
): string {
  const lines: string[] = [];
  for (const f of unreadable) {
    const e = f.errors[0];
    lines.push(
      `✗ ${f.path}${e?.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ''}: ${e?.message ?? 'unreadable'}`,
    );
  }
  for (const t of v.blocking)
    lines.push(
      `✗ failed: ${t.key}${t.expiredQuarantine ? ` (quarantine expired ${t.expiredQuarantine})` : ''}${t.message ? `: ${t.message.split('\n')[0]}` : ''}`,
    );
  for (const t of v.forgiven) lines.push(`~ forgiven (quarantined, owner ${t.owner}): ${t.key}`);
  for (const t of v.flaky) lines.push(`! flaky (passed on retry): ${t.key}`);
  const summary =
    outcome === 'no-tests'
      ? reportCount === 0
        ? 'verdict: no tests — no report file matched'
        : 'verdict: no tests — the reports hold zero tests'
      : `verdict: ${outcome} — ${v.tests} tests, ${v.blocking.length} blocking failure(s), ${v.forgiven.length} forgiven, ${v.flaky.length} flaky`;
  lines.push(summary);
  return `${lines.join('\n')}\n`;
}

function renderVerdictMarkdown(
  v: RunVerdict,
  outcome: RunVerdict['verdict'],
  unreadable: Unreadable,
): string {
  const icon = outcome === 'pass' ? '✅' : outcome === 'fail' ? '❌' : '⚠️';
  const out = [
    `### ${icon} candor verdict: ${outcome}`,
    '',
    `${v.tests} tests · ${v.blocking.length} blocking · ${v.forgiven.length} forgiven · ${v.flaky.length} flaky`,
    '',
  ];
  if (unreadable.length > 0) {
    out.push(
      '| unreadable report | error |',
      '| --- | --- |',
      ...unreadable.map((f) => `| ${cell(f.path)} | ${cell(f.errors[0]?.message ?? '')} |`),
      '',
    );
  }
  if (v.blocking.length > 0) {
    out.push(
      '| blocking failure | message |',
      '| --- | --- |',
      ...v.blocking.map(
        (t) =>
          `| \`${cell(t.key)}\` | ${cell(t.message?.split('\n')[0] ?? (t.expiredQuarantine ? `quarantine expired ${t.expiredQuarantine}` : ''))} |`,
      ),
      '',
    );
  }
  if (v.forgiven.length > 0) {
    out.push(
      '| forgiven (quarantined) | owner | reason |',
      '| --- | --- | --- |',
      ...v.forgiven.map(
        (t) =>
          `| \`${cell(t.key)}\` | ${cell(t.owner)} | ${cell(t.issue ? `[${t.reason}](${t.issue})` : t.reason)} |`,
      ),
      '',
    );
  }
  if (v.flaky.length > 0) {
    out.push(
      '<details><summary>flaky: passed on retry</summary>',
      '',
      ...v.flaky.map((t) => `- \`${cell(t.key)}\``),
      '',
      '</details>',
      '',
    );
  }
  return `${out.join('\n')}\n`;
}
