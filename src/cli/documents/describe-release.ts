import type { NextWave } from '../../core/release/next-wave.ts';
import type { ReleasePlan } from '../../core/release/release-plan.ts';
import type { Document } from '../render/renderer.ts';

const bakeText = (ms: number | undefined) =>
  ms === undefined
    ? null
    : ms % 3_600_000 === 0
      ? `${ms / 3_600_000}h`
      : ms % 60_000 === 0
        ? `${ms / 60_000}m`
        : `${ms / 1000}s`;

/** `candor release plan`: the waves in order. */
export function describeReleasePlan(service: string, plan: ReleasePlan): Document {
  return {
    blocks: [
      {
        kind: 'paragraph',
        text: `release plan of ${service}: ${plan.waves.length} waves, one after the other`,
      },
      {
        kind: 'table',
        columns: [
          { header: 'wave' },
          { header: 'name' },
          { header: 'environments' },
          { header: 'bake' },
          { header: 'requires' },
          { header: 'approval' },
        ],
        rows: plan.waves.map((w, i) => [
          String(i + 1),
          w.name,
          w.environments.join(', '),
          bakeText(w.bake),
          w.requires.join(', ') || null,
          w.approval ? 'yes' : null,
        ]),
      },
    ],
  };
}

const mark = { go: '→ go', wait: '… wait', stop: '✗ stop', done: '✓ done' } as const;

/** `candor release next`: the decision first, then every wave's state. */
export function describeNextWave(
  next: NextWave & { service: string; deployment: string },
): Document {
  return {
    blocks: [
      { kind: 'paragraph', text: `${mark[next.decision]}: ${next.reason}` },
      {
        kind: 'table',
        columns: [
          { header: 'wave' },
          { header: 'environments' },
          { header: 'status' },
          { header: 'deployed' },
          { header: 'bake until' },
          { header: 'approved' },
        ],
        rows: next.waves.map((w) => [
          w.name,
          w.environments.join(', '),
          w.status,
          w.deployedAt,
          w.bakeUntil,
          w.approval.required
            ? w.approval.at === null
              ? 'pending'
              : `${w.approval.by} ${w.approval.at}`
            : null,
        ]),
      },
    ],
  };
}
