import type { DoraReport } from '../../core/delivery/dora/compute-dora.ts';
import type { DurationStats } from '../../core/lib/stats.ts';
import { formatDuration as human } from '../render/format-duration.ts';
import { formatPercent as pct } from '../render/format-percent.ts';
import type { Block, Document } from '../render/renderer.ts';

const stats = (d: DurationStats) =>
  `median ${human(d.median)}, p90 ${human(d.p90)}, mean ${human(d.mean)} (n=${d.count})`;

/**
 * `candor dora`: the environment and window, one row per metric (DEFINITIONS.md), then, in plain
 * output, the latency of each pipeline stage that has samples.
 */
export function describeDoraReport(r: DoraReport): Document {
  const metrics: Block[] = [
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
        ['gate false positives (passed, then failed)', pct(r.falsePositiveRate)],
        ['gate false negatives (blocked, shipped fine)', pct(r.falseNegativeRate)],
      ],
    },
  ];
  const latency = r.stageLatency.filter((s) => s.count > 0);
  if (latency.length === 0) return { blocks: metrics };
  return {
    blocks: [
      { kind: 'section', blocks: metrics },
      {
        kind: 'table',
        only: 'plain',
        columns: [{ header: 'stage' }, { header: 'p50' }, { header: 'p90' }, { header: 'n' }],
        rows: latency.map((s) => [`${s.from} → ${s.to}`, human(s.p50), human(s.p90), s.count]),
      },
    ],
  };
}
