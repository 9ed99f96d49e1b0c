import { holdsInvariant, type ChaosExperiment, type KpiInvariant } from './chaos-experiment.ts';

/** What the metric source said about one KPI. */
export type KpiReading = { kind: 'measured'; value: number } | { kind: 'unknown'; reason: string };

export type InvariantResult = {
  name: string;
  condition: string;
  value: number | null;
  status: 'holds' | 'violated' | 'unknown';
  message: string;
};

/** The drift checks of one `ai-drift` entry: `violated` (exit 1) over `unknown` (3) over `holds` (0). */
export type DriftJudgement = {
  experiment: string;
  service: string;
  environment: string;
  answer: 'holds' | 'violated' | 'unknown';
  invariants: InvariantResult[];
};

/**
 * Judges an entry's KPI invariants against their readings (same order): each is an absolute
 * condition (`= 0`, `<= 0.3`), no baseline. Pure; never throws.
 */
export function judgeDrift(
  experiment: ChaosExperiment,
  readings: readonly KpiReading[],
): DriftJudgement {
  const invariants = experiment.invariants.map((invariant: KpiInvariant, i): InvariantResult => {
    const reading = readings[i] ?? { kind: 'unknown', reason: 'not read' };
    const condition = `${invariant.op} ${invariant.value}`;
    if (reading.kind === 'unknown')
      return {
        name: invariant.name,
        condition,
        value: null,
        status: 'unknown',
        message: `${invariant.name}: unknown (${reading.reason})`,
      };
    const holds = holdsInvariant(invariant, reading.value);
    return {
      name: invariant.name,
      condition,
      value: reading.value,
      status: holds ? 'holds' : 'violated',
      message: `${invariant.name}: ${reading.value} ${holds ? 'holds' : 'violates'} ${condition}`,
    };
  });
  const answer = invariants.some((r) => r.status === 'violated')
    ? 'violated'
    : invariants.some((r) => r.status === 'unknown')
      ? 'unknown'
      : 'holds';
  return {
    experiment: experiment.id,
    service: experiment.service,
    environment: experiment.blastRadius.environment,
    answer,
    invariants,
  };
}
