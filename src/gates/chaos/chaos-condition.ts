import { z } from 'zod';
import { dayMs } from '../../core/lib/time.ts';
import { defineGateCondition, type GateLedgerEvent } from '../gate-condition.ts';

/** How far back the ledger is read for game days, whatever `maxAgeDays` (to say how old). */
const lookBackDays = 366;

/** `- chaos: { services: [payments, checkout], maxAgeDays: 90 }`. */
export const ChaosOptions = z.strictObject({
  /** The production-critical services (default: `--service`). */
  services: z.array(z.string().trim().min(1).max(200)).min(1).optional(),
  /** Each must have had a game day at most this many days ago. */
  maxAgeDays: z.int().min(1).max(lookBackDays).default(90),
  /** Only game days in this environment (default: any). */
  environment: z.string().trim().min(1).max(100).optional(),
  /** Only game days whose rollback was rehearsed and verified count. */
  requireRollback: z.boolean().default(false),
});
export type ChaosOptions = z.output<typeof ChaosOptions>;

export type ChaosEvidence = { services: string[]; gameDays: GateLedgerEvent[] };

/**
 * `chaos` (the quarter checklist): every production-critical service had a game day (`game_day`
 * in the ledger, written by `candor chaos record`) that was not aborted within `maxAgeDays`.
 */
export const chaosCondition = defineGateCondition<ChaosOptions, ChaosEvidence>({
  id: 'chaos',
  description:
    'every production-critical service had a chaos game day in the last maxAgeDays (the ledger)',
  options: ChaosOptions,
  label: (options) =>
    `chaos game day ≤ ${options.maxAgeDays}d${options.services ? ` for ${options.services.join(', ')}` : ''}`,
  async gather(options, context) {
    const services = options.services ?? (context.service === undefined ? [] : [context.service]);
    if (services.length === 0)
      return {
        kind: 'missing',
        expected: 'the services to check (services: in the condition, or --service)',
        files: [],
      };
    const since = new Date(context.now.getTime() - lookBackDays * dayMs).toISOString();
    const gameDays = (await context.ledgerEvents({ types: ['game_day'], since })).filter(
      (e) =>
        services.includes(e.service) &&
        e.attributes?.['status'] !== 'aborted' &&
        (options.environment === undefined || e.environment === options.environment) &&
        (!options.requireRollback || e.attributes?.['rollbackVerified'] === true),
    );
    if (gameDays.length === 0)
      return {
        kind: 'missing',
        expected: `a game_day event for ${services.join(', ')} in the ledger in the last ${lookBackDays} days (candor chaos record writes one)`,
        files: [],
      };
    return { kind: 'found', value: { services, gameDays }, files: [] };
  },
  evaluate(evidence, options, now) {
    const ageOf = (service: string): number | undefined => {
      const times = evidence.gameDays
        .filter((e) => e.service === service)
        .map((e) => Date.parse(e.occurredAt));
      return times.length === 0
        ? undefined
        : Math.floor((now.getTime() - Math.max(...times)) / dayMs);
    };
    const ages = evidence.services.map((service) => ({ service, age: ageOf(service) }));
    const stale = ages.filter((a) => a.age === undefined || a.age > options.maxAgeDays);
    const oldest = Math.max(...ages.map((a) => a.age ?? Infinity));
    const threshold = options.maxAgeDays;
    if (stale.length === 0)
      return {
        result: 'pass',
        value: oldest,
        threshold,
        message: `every service (${evidence.services.join(', ')}) had a game day in the last ${threshold} days (the oldest ${oldest} day(s) ago)`,
      };
    return {
      result: 'fail',
      value: `${stale.length} of ${evidence.services.length} without`,
      threshold,
      message: `no game day in the last ${threshold} days for ${stale
        .map((s) =>
          s.age === undefined ? `${s.service} (never)` : `${s.service} (${s.age} days ago)`,
        )
        .join(', ')}`,
    };
  },
});
