import type { Deployment } from './collect-deployments.ts';
import type { OpenedIncident } from './link-incidents.ts';

/**
 * Deployments that are rework (DEFINITIONS.md "deployment rework rate"): started while an
 * incident of the service was open (opened at or before the start, resolved after it or not at
 * all), linked or not, or whose events said `attributes.rework` or `attributes.hotfix`.
 * `deployments` in start order. One sweep over both in start and opening order. Never throws.
 */
export function countRework(
  deployments: readonly Deployment[],
  incidents: readonly OpenedIncident[],
): number {
  const byOpening = [...incidents].sort((a, b) => a.opened - b.opened);
  let next = 0;
  let openUntil = -Infinity;
  let count = 0;
  for (const d of deployments) {
    for (let i = byOpening[next]; i !== undefined && i.opened <= d.startedAt; i = byOpening[++next])
      openUntil = Math.max(openUntil, i.resolved ?? Infinity);
    if (d.rework || openUntil > d.startedAt) count++;
  }
  return count;
}
