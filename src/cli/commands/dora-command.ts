import { Command } from 'commander';
import { buildDoraReport } from '../../app/delivery/build-dora-report.ts';
import type { DoraReport } from '../../core/delivery/dora/compute-dora.ts';
import type { DurationStats } from '../../core/lib/duration-stats.ts';
import { parseWindowFlag } from '../parse-flags.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';
import { renderTable } from '../render-table.ts';

type DoraOptions = {
  window: string;
  service?: string;
  env: string;
  team?: string;
  incidentWindow: string;
  db?: string;
  json?: boolean;
  markdown?: boolean;
};

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const human = (s: number | null) =>
  s === null
    ? '-'
    : s < 3_600
      ? `${(s / 60).toFixed(1)} min`
      : s < 172_800
        ? `${(s / 3_600).toFixed(1)} h`
        : `${(s / 86_400).toFixed(1)} d`;
const stats = (d: DurationStats) =>
  `median ${human(d.median)}, p90 ${human(d.p90)}, mean ${human(d.mean)} (n=${d.count})`;

export function doraCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('dora')
    .description(
      'DORA metrics and pipeline quality from the event ledger (definitions: DEFINITIONS.md)',
    )
    .option('--window <window>', 'deployments started in this window', '30d')
    .option('--service <name>', 'one service')
    .option('--env <name>', 'the production environment', 'production')
    .option('--team <name>', 'deployments whose events carry attributes.team')
    .option(
      '--incident-window <window>',
      'how long after a deployment an incident links to it by inference',
      '24h',
    )
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .option('--json', 'print JSON')
    .option('--markdown', 'print Markdown')
    .action(async (options: DoraOptions) => {
      const windowMs = parseWindowFlag(options.window, '--window');
      const incidentWindowMs = parseWindowFlag(options.incidentWindow, '--incident-window');
      const report = await withStore(context, options.db, (store) =>
        buildDoraReport(store, {
          now: context.now(),
          windowMs,
          environment: options.env,
          incidentWindowMs,
          service: options.service,
          team: options.team,
        }),
      );
      if (options.json) context.stdout.write(`${JSON.stringify(report)}\n`);
      else context.stdout.write(renderDora(report, options.markdown === true));
      setExitCode(exitCodes.ok);
    });
}

export function renderDora(r: DoraReport, markdown: boolean): string {
  const rows: [string, string][] = [
    ['deployments', `${r.deployments} (${r.deploymentFrequencyPerDay.toFixed(2)} per day)`],
    ['lead time for changes', stats(r.leadTimeSeconds)],
    ['change failure rate', `${pct(r.changeFailureRate)} (${r.failedDeployments} failed)`],
    [
      'failed deployment recovery time',
      `${stats(r.recoveryTimeSeconds)}; ${r.unrecoveredFailures} not recovered`,
    ],
    ['deployment rework rate', pct(r.reworkRate)],
    ['time to detect', stats(r.timeToDetectSeconds)],
    ['rollback success rate', pct(r.rollbackSuccessRate)],
    ['gate false positives (passed, then failed)', pct(r.falsePositiveRate)],
    ['gate false negatives (blocked, shipped fine)', pct(r.falseNegativeRate)],
  ];
  const title = `DORA, ${r.environment}, ${r.window.from.slice(0, 10)} → ${r.window.to.slice(0, 10)}`;
  if (markdown) {
    return `### ${title}\n\n| metric | value |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`;
  }
  const latency = r.stageLatency.filter((s) => s.count > 0);
  return `${title}\n${renderTable(['metric', 'value'], rows)}${
    latency.length > 0
      ? `\n${renderTable(
          ['stage', 'p50', 'p90', 'n'],
          latency.map((s) => [`${s.from} → ${s.to}`, human(s.p50), human(s.p90), s.count]),
        )}`
      : ''
  }`;
}
