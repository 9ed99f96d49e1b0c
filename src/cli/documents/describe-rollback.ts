import type { RollbackRun } from '../../app/release/run-rollback.ts';
import type { DrillRow } from '../../core/release/drill-status.ts';
import type { Block, Document } from '../render/renderer.ts';
import { formatDuration } from '../render/format-duration.ts';

/** Seconds below a minute (rollbacks are often quick), else the shared duration format. */
const took = (ms: number) =>
  ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms / 1000);

/** `candor rollback` and `candor rollback drill`: the verdict line first, then the plan and output. */
export function describeRollback(run: RollbackRun): Document {
  const what = run.purpose === 'drill' ? 'drill' : 'rollback';
  const target = `${run.service} in ${run.environment}`;
  const blocks: Block[] = [];
  if (run.dryRun || run.outcome === undefined) {
    blocks.push({
      kind: 'paragraph',
      text: `dry run: the ${what} of ${target} would (${run.action}):`,
    });
    blocks.push({ kind: 'list', items: run.plan });
    blocks.push({ kind: 'paragraph', text: 'nothing ran and nothing was recorded' });
  } else {
    const { outcome } = run;
    const mark = outcome.result === 'success' ? '✓' : '✗';
    blocks.push({
      kind: 'paragraph',
      text: `${mark} ${what} of ${target} ${outcome.result === 'success' ? 'succeeded' : 'failed'} in ${took(outcome.durationMs)} (${run.action}: ${outcome.message})`,
    });
    blocks.push({ kind: 'list', items: run.plan });
    if (outcome.output.trim() !== '')
      blocks.push({
        kind: 'details',
        summary: 'output',
        blocks: [{ kind: 'paragraph', text: { code: outcome.output.trimEnd() } }],
      });
    blocks.push({
      kind: 'paragraph',
      text: `recorded ${run.recorded.map((r) => r.type).join(' and ')}${run.deployment !== null ? ` for deployment ${run.deployment}` : ''}`,
    });
  }
  return { blocks };
}

/** `candor rollback drills`: one row per service and environment, stale and failed ones named. */
export function describeDrills(rows: readonly DrillRow[]): Document {
  if (rows.length === 0)
    return {
      blocks: [
        {
          kind: 'paragraph',
          text: 'no drills recorded and no service in candor.yml has a rollback action',
        },
      ],
    };
  const problems = rows.filter((r) => r.status !== 'fresh');
  return {
    blocks: [
      {
        kind: 'table',
        columns: [
          { header: 'service' },
          { header: 'environment' },
          { header: 'status' },
          { header: 'last drill' },
          { header: 'result' },
          { header: 'age (days)' },
          { header: 'limit (days)' },
          { header: 'took' },
        ],
        rows: rows.map((r) => [
          r.service,
          r.environment,
          r.status,
          r.last?.occurredAt ?? null,
          r.last?.result ?? null,
          r.ageDays,
          r.maxAgeDays,
          r.last?.durationMs !== undefined ? took(r.last.durationMs) : null,
        ]),
      },
      {
        kind: 'paragraph',
        text:
          problems.length === 0
            ? `every drill is within its limit`
            : `${problems.length} of ${rows.length} need a drill: ${problems.map((p) => `${p.service} (${p.environment}: ${p.status})`).join(', ')}; run candor rollback drill --service <name>`,
      },
    ],
  };
}
