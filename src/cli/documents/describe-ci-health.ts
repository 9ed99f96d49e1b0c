import type { CiHealthReport } from '../../app/ci-health/build-ci-health.ts';
import type { RedEpisode } from '../../core/ci-health/compute-ci-health.ts';
import { formatDuration as human } from '../render/format-duration.ts';
import type { Block, Document } from '../render/renderer.ts';

const tests = (e: RedEpisode) =>
  e.failingTestCount === 0
    ? '-'
    : `${e.failingTests.slice(0, 3).join(', ')}${e.failingTestCount > 3 ? ` (+${e.failingTestCount - 3})` : ''}`;

/**
 * `candor ci-health`: the branch and window; how long it stayed red (p50/p90, the episodes still
 * open, the worst ones); the minutes lost to retries; the stage latency per week (weeks with
 * samples only).
 */
export function describeCiHealth(r: CiHealthReport): Document {
  const blocks: Block[] = [
    {
      kind: 'heading',
      level: 3,
      text: `CI health, ${r.branch}${r.repo === null ? '' : ` of ${r.repo}`}, ${r.window.from.slice(0, 10)} → ${r.window.to.slice(0, 10)}`,
    },
    {
      kind: 'table',
      columns: [{ header: 'measure' }, { header: 'value' }],
      rows: [
        ['runs', `${r.runs} (${r.redRuns} red)`],
        [
          'red → green',
          `p50 ${human(r.red.p50Seconds)}, p90 ${human(r.red.p90Seconds)} (${r.red.episodes - r.red.open.length} closed)`,
        ],
        [
          're-runs',
          `${r.retries.reruns} of ${r.retries.rerunJobs} jobs (${r.retries.passedOnRerun} passed on re-run), ${r.retries.rerunMinutes} min`,
        ],
        [
          'tests retried in a run',
          `${r.retries.retriedTests}, ${r.retries.retriedTestMinutes} min of failed attempts`,
        ],
        ['time lost to retries', `${r.retries.totalMinutes} min`],
      ],
    },
  ];
  for (const e of r.red.open)
    blocks.push({
      kind: 'paragraph',
      text: `red for ${human(e.durationSeconds)} and counting: since ${e.start} (commit ${e.firstFailingCommit ?? '-'}, ${tests(e)})`,
    });
  if (r.red.worst.length > 0)
    blocks.push({
      kind: 'table',
      caption: 'worst red episodes',
      columns: [
        { header: 'start' },
        { header: 'end' },
        { header: 'red for' },
        { header: 'first failing commit' },
        { header: 'failing tests' },
      ],
      rows: r.red.worst.map((e) => [
        e.start,
        e.end ?? '-',
        human(e.durationSeconds),
        e.firstFailingCommit ?? '-',
        tests(e),
      ]),
    });
  const weeks = r.stageLatency.filter((w) => w.stages.length > 0);
  if (weeks.length > 0)
    blocks.push({
      kind: 'table',
      caption: 'stage latency per week',
      columns: [
        { header: 'week' },
        { header: 'stage' },
        { header: 'p50' },
        { header: 'p90' },
        { header: 'n' },
      ],
      rows: weeks.flatMap((w) =>
        w.stages.map((s) => [
          w.from.slice(0, 10),
          `${s.from} → ${s.to}`,
          human(s.p50),
          human(s.p90),
          s.count,
        ]),
      ),
    });
  return { blocks };
}
