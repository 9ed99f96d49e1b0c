import type { DoraSeries } from '../../app/delivery/build-dora-report.ts';
import type { DoraReport, UnlinkedIncident } from '../../core/delivery/dora/compute-dora.ts';
import type { DurationStats } from '../../core/lib/stats.ts';
import { formatDuration as human } from '../render/format-duration.ts';
import { formatPercent as pct } from '../render/format-percent.ts';
import type { Block, Document } from '../render/renderer.ts';

const stats = (d: DurationStats) =>
  `median ${human(d.median)}, p90 ${human(d.p90)}, mean ${human(d.mean)} (n=${d.count})`;

const unlinkedReasons: Record<UnlinkedIncident['reason'], string> = {
  'unknown-deployment': 'names a deployment that is not a known production deployment',
  'unknown-commit': 'names a commit no production deployment carries',
  'no-recent-deployment':
    'no production deployment of its service started within the incident window before it',
};

/**
 * `candor dora`: the environment and window, one row per metric (DEFINITIONS.md), the latency of
 * each pipeline stage that has samples, each gate's false positives and negatives, the incident
 * links, then the window's unlinked incidents
 * with why (each part only when it has rows).
 */
export function describeDoraReport(r: DoraReport): Document {
  return { blocks: joinParts(describeParts(r)) };
}

/** `candor dora --by week|month`: the report, then one row per period (the trend). */
export function describeDoraSeries(s: DoraSeries): Document {
  const trend: Block[] = [
    {
      kind: 'table',
      caption: `by ${s.by}`,
      columns: [
        { header: s.by },
        { header: 'deployments' },
        { header: 'per day' },
        { header: 'change failure rate' },
        { header: 'lead time (median)' },
        { header: 'recovery (median)' },
      ],
      rows: s.series.map((p) => [
        p.window.from.slice(0, 10),
        p.deployments,
        p.deploymentFrequencyPerDay.toFixed(2),
        pct(p.changeFailureRate),
        human(p.leadTimeSeconds.median),
        human(p.recoveryTimeSeconds.median),
      ]),
    },
  ];
  return { blocks: joinParts([...describeParts(s), trend]) };
}

/** Parts one after the other, a blank line between them (the last needs none after it). */
function joinParts(parts: readonly Block[][]): Block[] {
  return parts.flatMap((blocks, i) =>
    i < parts.length - 1 ? [{ kind: 'section', blocks } satisfies Block] : blocks,
  );
}

function describeParts(r: DoraReport): Block[][] {
  const parts: Block[][] = [
    [
      {
        kind: 'heading',
        level: 3,
        text: `DORA, ${r.environment}, ${r.window.from.slice(0, 10)} → ${r.window.to.slice(0, 10)}`,
      },
      {
        kind: 'table',
        columns: [{ header: 'metric' }, { header: 'value' }],
        rows: [
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
          ['gate false positives (blocked, shipped fine)', pct(r.falsePositiveRate)],
          ['gate false negatives (passed, then failed)', pct(r.falseNegativeRate)],
        ],
      },
    ],
  ];
  const latency = r.stageLatency.filter((s) => s.count > 0);
  if (latency.length > 0)
    parts.push([
      {
        kind: 'table',
        columns: [{ header: 'stage' }, { header: 'p50' }, { header: 'p90' }, { header: 'n' }],
        rows: latency.map((s) => [`${s.from} → ${s.to}`, human(s.p50), human(s.p90), s.count]),
      },
    ]);
  if (r.gates.length > 0)
    parts.push([
      {
        kind: 'table',
        caption:
          'gates (false positive: blocked, then shipped unchanged and fine; false negative: passed, then failed)',
        columns: [
          { header: 'gate' },
          { header: 'blocked' },
          { header: 'false positives' },
          { header: 'true catches' },
          { header: 'passed' },
          { header: 'false negatives' },
          { header: 'blocked by (false positives)' },
        ],
        rows: r.gates.map((g) => [
          g.checklist,
          g.blocked,
          `${g.blockedThenShipped} (${pct(g.falsePositiveShare)})`,
          g.trueCatches,
          g.passed,
          `${g.passedThenFailed} (${pct(g.falseNegativeShare)})`,
          g.falsePositiveConditions.map((c) => `${c.name} ×${c.count}`).join(', ') || '-',
        ]),
      },
    ]);
  if (r.incidentLinks.length > 0)
    parts.push([
      {
        kind: 'table',
        caption: 'incident links',
        columns: [{ header: 'incident' }, { header: 'deployment' }, { header: 'link' }],
        rows: r.incidentLinks.map((l) => [l.incident, l.deployment, l.link]),
      },
    ]);
  if (r.unlinkedIncidents.length > 0)
    parts.push([
      { kind: 'paragraph', text: `unlinked incidents (${r.unlinkedIncidents.length}):` },
      {
        kind: 'list',
        items: r.unlinkedIncidents.map(
          (u) => `${u.incident}, opened ${u.openedAt}: ${unlinkedReasons[u.reason]}`,
        ),
      },
    ]);
  return parts;
}
