import { z } from 'zod';
import { dayMs } from '../../core/lib/time.ts';
import { defineGateCondition, type GateLedgerEvent } from '../gate-condition.ts';

/** How far back the ledger is read for the last drill, whatever `maxAgeDays` (to say "stale"). */
const lookBackDays = 366;

/** `- drill: { maxAgeDays: 30, environment: staging }`. */
export const DrillOptions = z.strictObject({
  /** The last successful drill must be at most this old. */
  maxAgeDays: z.int().min(1).max(lookBackDays).default(30),
  /** Only drills in this environment (default: any). */
  environment: z.string().trim().min(1).max(100).optional(),
  /** The service (default: `--service`, else the repository name). */
  service: z.string().trim().min(1).max(200).optional(),
});
export type DrillOptions = z.output<typeof DrillOptions>;

export type DrillEvidence = { service: string; drills: GateLedgerEvent[] };

/**
 * A rollback drill an event records: a `rollback_drill` as it is, a `game_day` (`candor chaos
 * record`) when its rollback was executed, succeeding when it was verified. Others: none.
 */
function drillOfEvent(event: GateLedgerEvent): GateLedgerEvent[] {
  if (event.type !== 'game_day') return [event];
  if (event.attributes?.['rollbackExecuted'] !== true) return [];
  return [
    { ...event, result: event.attributes['rollbackVerified'] === true ? 'success' : 'failure' },
  ];
}

/**
 * `drill`: a rollback drill (`rollback_drill` in the ledger, written by `candor rollback drill`, or
 * the rollback rehearsed by a game day, `game_day` from `candor chaos record`)
 * succeeded for the service within `maxAgeDays`, and the last drill did not fail.
 */
export const drillCondition = defineGateCondition<DrillOptions, DrillEvidence>({
  id: 'drill',
  description: 'a rollback drill of the service succeeded in the last maxAgeDays (the ledger)',
  options: DrillOptions,
  label: (options) =>
    `drill ≤ ${options.maxAgeDays}d${options.environment ? ` in ${options.environment}` : ''}`,
  async gather(options, context) {
    const service = options.service ?? context.service;
    const where = `for service ${service ?? '(none: give --service)'}${options.environment ? ` in ${options.environment}` : ''}`;
    if (service === undefined)
      return { kind: 'missing', expected: `a rollback_drill event ${where}`, files: [] };
    const since = new Date(context.now.getTime() - lookBackDays * dayMs).toISOString();
    const drills = (
      await context.ledgerEvents({ types: ['rollback_drill', 'game_day'], since, service })
    )
      .flatMap(drillOfEvent)
      .filter((e) => options.environment === undefined || e.environment === options.environment);
    if (drills.length === 0)
      return {
        kind: 'missing',
        expected: `a rollback_drill event ${where} in the ledger in the last ${lookBackDays} days (candor rollback drill records one)`,
        files: [],
      };
    return { kind: 'found', value: { service, drills }, files: [] };
  },
  evaluate(evidence, options, now) {
    const ageDays = (e: GateLedgerEvent) =>
      Math.floor((now.getTime() - Date.parse(e.occurredAt)) / dayMs);
    const last = evidence.drills.reduce((a, b) =>
      Date.parse(b.occurredAt) > Date.parse(a.occurredAt) ? b : a,
    );
    const lastSuccess = evidence.drills
      .filter((e) => e.result !== 'failure')
      .reduce<GateLedgerEvent | undefined>(
        (a, b) => (a === undefined || Date.parse(b.occurredAt) > Date.parse(a.occurredAt) ? b : a),
        undefined,
      );
    const threshold = options.maxAgeDays;
    if (last.result === 'failure')
      return {
        result: 'fail',
        value: ageDays(last),
        threshold,
        message: `the last rollback drill of ${evidence.service} (${last.environment}, ${last.occurredAt}) failed: the rollback is known not to work`,
      };
    const age = ageDays(lastSuccess ?? last);
    return age <= threshold
      ? {
          result: 'pass',
          value: age,
          threshold,
          message: `the last rollback drill of ${evidence.service} (${last.environment}) succeeded ${age} day(s) ago`,
        }
      : {
          result: 'fail',
          value: age,
          threshold,
          message: `the last successful rollback drill of ${evidence.service} is ${age} days old (at most ${threshold})`,
        };
  },
});
