import { z } from 'zod';

export const gameDayResults = ['completed', 'deviated', 'aborted'] as const;
export type GameDayResult = (typeof gameDayResults)[number];

/**
 * One game day of an experiment (`<catalog>/game-days/<date>-<id>.yml`, written by `candor chaos
 * record`, reviewable in a pull request): what happened, the rollback rehearsed, the findings.
 */
export const GameDayRecord = z.strictObject({
  experiment: z.string().min(1).max(100),
  service: z.string().min(1).max(200),
  /** The day it ran (UTC, `YYYY-MM-DD`). */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** When it was recorded (ISO 8601). */
  recordedAt: z.iso.datetime({ offset: true }),
  environment: z.string().min(1).max(100),
  result: z.strictObject({
    status: z.enum(gameDayResults),
    /** The steady state did not hold after the method (Chaos Toolkit `deviated`). */
    deviated: z.boolean(),
    /** The Chaos Toolkit journal read, and its `status`. */
    journal: z.string().optional(),
    journalStatus: z.string().optional(),
    /** The LitmusChaos ChaosResult read: verdict and probe success percentage. */
    litmus: z.string().optional(),
    litmusVerdict: z.string().optional(),
    probeSuccessPercentage: z.number().optional(),
  }),
  rollback: z
    .strictObject({
      executed: z.boolean(),
      actions: z.array(z.string()),
      durationSeconds: z.number().nonnegative().optional(),
      verified: z.boolean(),
    })
    .optional(),
  findings: z.array(z.strictObject({ summary: z.string().min(1).max(2000) })).default([]),
});
export type GameDayRecord = z.output<typeof GameDayRecord>;
