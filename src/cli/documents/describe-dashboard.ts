import type { Dashboard, DashboardTest, FourKeys, Panel } from '../../contracts/dashboard.ts';
import { formatDuration as human } from '../render/format-duration.ts';
import { formatPercent as pct } from '../render/format-percent.ts';
import type { Block, Document } from '../render/renderer.ts';

/** Releases the summary lists (the HTML report lists all the dashboard has). */
const summaryReleases = 10;

/**
 * `candor report --markdown`: the dashboard's summary for a step summary or a comment: the four
 * keys with their trend against the previous window, pipeline quality, test truth (budget, top
 * flaky and broken tests) and the recent releases; a panel without data says how to send it.
 */
export function describeDashboard(d: Dashboard): Document {
  const scope = `${d.filters.service ?? 'all services'}, ${d.filters.environment}, last ${d.filters.window}`;
  return {
    blocks: [
      { kind: 'heading', level: 3, text: `candor report: ${scope}` },
      ...part('The four keys', d.keys, (p) => keysBlocks(p.current, p.previous)),
      ...part('Pipeline quality', d.quality, (p) => [
        {
          kind: 'table',
          columns: [{ header: 'metric' }, { header: 'value' }],
          rows: [
            ['gate false positives', pct(p.falsePositiveRate)],
            ['gate false negatives', pct(p.falseNegativeRate)],
            ['time to detect (median)', human(p.timeToDetectSeconds.median)],
            ['rollback success rate', pct(p.rollbackSuccessRate)],
            ...p.drills.map((drill) => [
              `last drill, ${drill.service} (${drill.environment})`,
              `${drill.last?.occurredAt.slice(0, 10) ?? 'never'}: ${drill.stale ? `✗ ${drill.status}` : '✓ fresh'}`,
            ]),
          ],
        },
        ...(p.gates.length === 0
          ? []
          : [
              {
                kind: 'table' as const,
                caption: 'per gate',
                columns: [
                  { header: 'gate' },
                  { header: 'blocked', align: 'right' as const },
                  { header: 'true catches', align: 'right' as const },
                  { header: 'false positives', align: 'right' as const },
                  { header: 'passed', align: 'right' as const },
                  { header: 'false negatives', align: 'right' as const },
                ],
                rows: p.gates.map((g) => [
                  g.checklist,
                  String(g.blocked),
                  String(g.trueCatches),
                  `${g.blockedThenShipped} (${pct(g.falsePositiveShare)})`,
                  String(g.passed),
                  `${g.passedThenFailed} (${pct(g.falseNegativeShare)})`,
                ]),
              },
            ]),
      ]),
      ...part('Test truth', d.tests, (p) => {
        const tests = (
          title: string,
          list: readonly DashboardTest[],
          rateOf: (t: DashboardTest) => number | null,
        ): Block[] =>
          list.length === 0
            ? [{ kind: 'paragraph', text: `${title}: none.` }]
            : [
                {
                  kind: 'table',
                  caption: title,
                  columns: [
                    { header: 'test' },
                    { header: 'rate' },
                    { header: 'failed/runs', align: 'right' },
                    { header: 'hints' },
                  ],
                  rows: list.map((t) => [
                    { code: t.key },
                    pct(rateOf(t)),
                    `${t.failures}/${t.executions}`,
                    t.hints.join(' '),
                  ]),
                },
              ];
        return [
          {
            kind: 'paragraph',
            text: `Flake rate ${pct(p.budget.rate)} of a ${pct(p.budget.max)} budget over ${p.budget.executions} executions: ${p.budget.overBudget ? '✗ over budget' : '✓ within budget'}; by week: ${p.weekly.map((w) => pct(w.rate)).join(' → ')}.`,
          },
          ...tests('Top flaky tests', p.topFlaky, (t) => t.flakyRate),
          ...tests('Broken tests', p.broken, (t) =>
            t.executions === 0 ? null : t.failures / t.executions,
          ),
          ...(p.quarantined.length === 0
            ? []
            : [
                {
                  kind: 'table',
                  caption: 'Quarantined',
                  columns: [{ header: 'test' }, { header: 'owner' }, { header: 'expires' }],
                  rows: p.quarantined.map((q) => [{ code: q.key }, q.owner, q.expires]),
                } satisfies Block,
              ]),
        ];
      }),
      ...part('Recent releases', d.releases, (p) => [
        {
          kind: 'table',
          columns: [
            { header: 'deployment' },
            { header: 'service' },
            { header: 'started' },
            { header: 'result' },
            { header: 'canary' },
            { header: 'gates' },
            { header: 'incidents' },
            { header: 'lead time' },
          ],
          rows: p.deployments
            .slice(0, summaryReleases)
            .map((r) => [
              { code: r.deployment },
              r.service,
              r.startedAt?.replace('T', ' ').slice(0, 16) ?? '-',
              r.failed ? '✗ failed' : r.result === null ? 'running' : `✓ ${r.result}`,
              r.canary ?? '-',
              `${r.gates.passed} passed, ${r.gates.failed} failed`,
              r.incidents.join(', ') || '-',
              human(r.leadTimeSeconds),
            ]),
        },
        ...(p.deployments.length > summaryReleases
          ? [
              {
                kind: 'paragraph',
                text: `and ${p.deployments.length - summaryReleases} more (the HTML report lists them all).`,
              } satisfies Block,
            ]
          : []),
      ]),
      { kind: 'paragraph', text: `Generated ${d.generatedAt}.` },
    ],
  };
}

/** A panel as a level-4 heading and its blocks, or its "no data yet" hint. */
function part<T>(title: string, panel: Panel<T>, blocks: (value: T) => Block[]): Block[] {
  return [
    { kind: 'heading', level: 4, text: title },
    ...(panel.status === 'no-data'
      ? [{ kind: 'paragraph', text: `No data yet: ${panel.hint}` } satisfies Block]
      : blocks(panel)),
  ];
}

function keysBlocks(current: FourKeys, previous: FourKeys): Block[] {
  const row = (
    label: string,
    now: number | null,
    before: number | null,
    format: (n: number | null) => string,
    isBetterHigher: boolean,
  ) => [label, format(now), format(before), trend(now, before, format, isBetterHigher)];
  const hadDeployments = previous.deployments > 0;
  return [
    {
      kind: 'table',
      columns: [
        { header: 'key' },
        { header: `last ${current.window.days}d` },
        { header: 'previous' },
        { header: 'trend' },
      ],
      rows: [
        row(
          'deployment frequency',
          current.deploymentFrequencyPerDay,
          hadDeployments ? previous.deploymentFrequencyPerDay : null,
          perDay,
          true,
        ),
        row(
          'lead time (median)',
          current.leadTimeSeconds.median,
          previous.leadTimeSeconds.median,
          human,
          false,
        ),
        row(
          'change failure rate',
          current.changeFailureRate,
          previous.changeFailureRate,
          pct,
          false,
        ),
        row(
          'recovery time (median)',
          current.recoveryTimeSeconds.median,
          previous.recoveryTimeSeconds.median,
          human,
          false,
        ),
      ],
    },
    {
      kind: 'paragraph',
      text: `${current.deployments} deployments in this window, ${previous.deployments} in the previous one.`,
    },
  ];
}

/** `↑ +0.50/day (better)`: the arrow, the signed change and whether it is good news. */
function trend(
  now: number | null,
  before: number | null,
  format: (n: number | null) => string,
  isBetterHigher: boolean,
): string {
  if (now === null || before === null) return 'no previous data';
  const delta = now - before;
  if (delta === 0) return '→ unchanged';
  const arrow = delta > 0 ? '↑' : '↓';
  const tone = delta > 0 === isBetterHigher ? 'better' : 'worse';
  return `${arrow} ${delta > 0 ? '+' : '−'}${format(Math.abs(delta))} (${tone})`;
}

function perDay(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(2)}/day`;
}
