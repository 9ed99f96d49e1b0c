import { z } from 'zod';
import { DurationText } from '../core/lib/parse-duration.ts';
import { PositiveInteger } from './queries.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const positive = (what: string) =>
  DurationText.refine((ms) => ms > 0, `${what} must be positive (e.g. 2h, 1m30s)`);

/**
 * POST /api/v1/watches: a watch of `candor serve` for a service's deployment (README "Watches in
 * candor serve"). `environment` defaults to production; without `deployment` the service's
 * latest in the ledger; `window` and `every` override `watch.<service>` of candor.yml.
 */
export const WatchRegistration = z.strictObject({
  service: text(200),
  environment: text(100).default('production'),
  deployment: text(200).optional(),
  window: positive('window').optional(),
  every: positive('every').optional(),
});
export type WatchRegistration = z.output<typeof WatchRegistration>;

/** The states a watch is in: `watching` until its verdict is final, then `finished`. */
export const watchStates = ['watching', 'finished'] as const;
export type WatchState = (typeof watchStates)[number];

/** GET /api/v1/watches: newest first, of one service and state when given, at most `limit` (100). */
export const WatchListQuery = z.strictObject({
  service: text(200).optional(),
  state: z.enum(watchStates).optional(),
  limit: PositiveInteger.pipe(z.number().max(1000)).default(100),
});
export type WatchListQuery = z.output<typeof WatchListQuery>;
