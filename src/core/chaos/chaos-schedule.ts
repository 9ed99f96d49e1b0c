import { dayMs } from '../lib/time.ts';
import type { ChaosExperiment } from './chaos-experiment.ts';
import type { GameDayRecord } from './game-day-record.ts';

/** An experiment with its last game day and when the next one is due. */
export type ChaosScheduleRow = {
  id: string;
  title: string;
  kind: ChaosExperiment['kind'];
  service: string;
  owner: string;
  environment: string;
  cadenceDays: number;
  /** The date of the last game day (`YYYY-MM-DD`), or null when there was none. */
  lastGameDay: string | null;
  lastResult: GameDayRecord['result']['status'] | null;
  /** The last game day plus the cadence; null when there was none (due now). */
  nextDue: string | null;
  isDue: boolean;
};

/**
 * The schedule of the catalog: per experiment, its last game day (by date) and the next due date
 * (last + cadence); an experiment without a game day is due. `now` is passed in. Never throws.
 */
export function scheduleChaos(
  experiments: readonly ChaosExperiment[],
  records: readonly GameDayRecord[],
  now: Date,
): ChaosScheduleRow[] {
  return experiments.map((experiment) => {
    const last = records
      .filter((r) => r.experiment === experiment.id)
      .reduce<GameDayRecord | undefined>(
        (a, b) => (a === undefined || b.date > a.date ? b : a),
        undefined,
      );
    const nextDue =
      last === undefined
        ? null
        : new Date(Date.parse(`${last.date}T00:00:00Z`) + experiment.cadence)
            .toISOString()
            .slice(0, 10);
    return {
      id: experiment.id,
      title: experiment.title,
      kind: experiment.kind,
      service: experiment.service,
      owner: experiment.owner,
      environment: experiment.blastRadius.environment,
      cadenceDays: Math.round(experiment.cadence / dayMs),
      lastGameDay: last?.date ?? null,
      lastResult: last?.result.status ?? null,
      nextDue,
      isDue: nextDue === null || nextDue <= now.toISOString().slice(0, 10),
    };
  });
}
