import type { WatchOnce } from '../../app/watch/watch-once.ts';
import type { Block, Document } from '../render/renderer.ts';

const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;
const mark = { healthy: '✓', degraded: '✗', inconclusive: '?' } as const;

/** `candor watch`: the verdict first, one row a metric, then the rollback it ran. */
export function describeWatch(report: WatchOnce): Document {
  const who = [report.service, report.deployment].filter((v) => v !== null).join(' ');
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: `${mark[report.verdict]} ${report.verdict}${who ? `: ${who}` : ''} at ${report.evaluatedAt}`,
    },
    {
      kind: 'table',
      columns: [
        { header: 'metric' },
        { header: 'detector' },
        { header: 'result' },
        { header: 'effect' },
        { header: 'why' },
      ],
      rows: report.findings.map((f) => [
        f.metric,
        f.detector,
        `${mark[f.result]} ${f.result}`,
        f.effect === null
          ? null
          : f.detector === 'burn'
            ? `${f.effect.estimate.toFixed(1)}×`
            : f.detector === 'drift'
              ? `${pct(f.effect.estimate)}/h`
              : pct(f.effect.estimate),
        f.reason,
      ]),
    },
  ];
  const run = report.rollbackRun;
  if (run?.outcome !== undefined)
    blocks.push({
      kind: 'paragraph',
      text: `rollback of ${run.service} in ${run.environment} ${run.outcome.result === 'success' ? 'succeeded' : 'failed'} (${run.action}: ${run.outcome.message}); recorded ${run.recorded.map((r) => r.type).join(' and ')}`,
    });
  return { blocks };
}
