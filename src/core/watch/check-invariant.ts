import {
  holdsInvariant,
  type ChaosExperiment,
  type KpiInvariant,
} from '../chaos/chaos-experiment.ts';
import type { WatchFinding } from './evaluate-watch.ts';

/** One KPI invariant of an `ai-drift` catalog entry, as the watch evaluates it. */
export type WatchedInvariant = {
  entry: string;
  blastRadius: ChaosExperiment['blastRadius'];
  invariant: KpiInvariant;
};

/**
 * The `ai-drift` entries a watch of `service` in `environment` evaluates: those whose service
 * and blast-radius environment are the watched ones, each invariant on its own. Pure.
 */
export function selectWatchedInvariants(
  entries: readonly ChaosExperiment[],
  watched: { service: string; environment: string },
): WatchedInvariant[] {
  return entries
    .filter(
      (e) =>
        e.kind === 'ai-drift' &&
        e.service === watched.service &&
        e.blastRadius.environment === watched.environment,
    )
    .flatMap((e) =>
      e.invariants.map((invariant) => ({ entry: e.id, blastRadius: e.blastRadius, invariant })),
    );
}

/** The finding's metric name: `<entry id>/<invariant name>`. */
export function invariantMetricName(watched: WatchedInvariant): string {
  return `${watched.entry}/${watched.invariant.name}`;
}

/**
 * Checks an absolute KPI invariant over the intervals since the deploy (`values`, one a grid
 * point; null: no data): `degraded` when any measured interval breaks the condition (the worst
 * breach is named), `inconclusive` when no interval was measured (no data is never healthy),
 * else `healthy`. No baseline, no statistics: the bound is the bound. Pure; never throws.
 */
export function checkInvariant(
  watched: WatchedInvariant,
  values: readonly (number | null)[],
  since: string,
): WatchFinding {
  const { invariant, blastRadius } = watched;
  const condition = `${invariant.op} ${invariant.value}`;
  const measured = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const breaches = measured.filter((v) => !holdsInvariant(invariant, v));
  const worst = breaches.reduce<number | null>(
    (w, v) => (w === null || Math.abs(v - invariant.value) > Math.abs(w - invariant.value) ? v : w),
    null,
  );
  const value = worst ?? measured.at(-1) ?? null;
  const radius = `${blastRadius.environment}, ${blastRadius.mode}${blastRadius.value === undefined ? '' : ` ${blastRadius.value}`}`;
  const origin = `ai-drift entry ${watched.entry} (blast radius ${radius})`;
  const gaps = values.length - measured.length;
  const reason =
    measured.length === 0
      ? `no data since the deploy for ${invariant.name} ${condition}: cannot tell (${origin})`
      : breaches.length > 0
        ? `${invariant.name} broke ${condition} in ${breaches.length} of ${measured.length} intervals, worst ${worst} (${origin})`
        : `${invariant.name} held ${condition} in all ${measured.length} measured intervals${gaps > 0 ? ` (${gaps} without data)` : ''}, last ${value} (${origin})`;
  return {
    metric: invariantMetricName(watched),
    detector: 'invariant',
    result: measured.length === 0 ? 'inconclusive' : breaches.length > 0 ? 'degraded' : 'healthy',
    effect: null,
    pValue: null,
    since,
    rollback: invariant.rollback,
    reason,
    invariant: {
      entry: watched.entry,
      name: invariant.name,
      condition,
      blastRadius: {
        environment: blastRadius.environment,
        mode: blastRadius.mode,
        value: blastRadius.value ?? null,
        maxDuration: blastRadius.maxDuration,
      },
      value,
      measured: measured.length,
      breaches: breaches.length,
    },
  };
}
