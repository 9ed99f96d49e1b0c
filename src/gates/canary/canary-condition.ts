import { z } from 'zod';
import { dayMs } from '../../core/lib/time.ts';
import { defineGateCondition, type GateLedgerEvent } from '../gate-condition.ts';

/** How far back the ledger is read for the deployment's canary verdict. */
const lookBackDays = 90;

/** `- canary: { deployment: … }` (default: `--deployment`). */
export const CanaryOptions = z.strictObject({
  deployment: z.string().trim().min(1).max(200).optional(),
  service: z.string().trim().min(1).max(200).optional(),
});
export type CanaryOptions = z.output<typeof CanaryOptions>;

export type CanaryEvidence = { deployment: string; verdicts: GateLedgerEvent[] };

/**
 * `canary` (a release gate): the deployment's canary was promoted (`canary_promoted` in the
 * ledger, written by `candor canary analyze`) and its latest verdict is not a rollback
 * (`canary_failed`).
 */
export const canaryCondition = defineGateCondition<CanaryOptions, CanaryEvidence>({
  id: 'canary',
  description: "the deployment's canary verdict in the ledger is promote",
  options: CanaryOptions,
  label: (options) => `canary${options.deployment ? ` ${options.deployment}` : ''}`,
  async gather(options, context) {
    const deployment = options.deployment ?? context.deployment;
    const service = options.service ?? context.service;
    if (deployment === undefined)
      return {
        kind: 'missing',
        expected: 'a deployment whose canary verdict to read (give --deployment or deployment:)',
        files: [],
      };
    const since = new Date(context.now.getTime() - lookBackDays * dayMs).toISOString();
    const verdicts = (
      await context.ledgerEvents({ types: ['canary_promoted', 'canary_failed'], since, service })
    ).filter((e) => e.deployment === deployment);
    if (verdicts.length === 0)
      return {
        kind: 'missing',
        expected: `a canary verdict (canary_promoted or canary_failed) for deployment ${deployment}${service ? ` of ${service}` : ''} in the ledger`,
        files: [],
      };
    return { kind: 'found', value: { deployment, verdicts }, files: [] };
  },
  evaluate(evidence) {
    const last = evidence.verdicts.reduce((a, b) =>
      Date.parse(b.occurredAt) >= Date.parse(a.occurredAt) ? b : a,
    );
    const value = last.type === 'canary_promoted' ? 'promote' : 'rollback';
    return {
      result: value === 'promote' ? 'pass' : 'fail',
      value,
      threshold: 'promote',
      message:
        value === 'promote'
          ? `the canary of ${evidence.deployment} was promoted at ${last.occurredAt}`
          : `the canary of ${evidence.deployment} was rolled back at ${last.occurredAt}`,
    };
  },
});
