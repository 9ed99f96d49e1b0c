import { z } from 'zod';
import { dryRunAction } from './dry-run/dry-run-action.ts';
import { execAction } from './exec/exec-action.ts';
import { flagAction } from './flag/flag-action.ts';
import type { ActionContext, ActionOutcome, RollbackAction } from './rollback-action.ts';
import { webhookAction } from './webhook/webhook-action.ts';

/**
 * Every rollback action, by the `kind` candor.yml names it with. Adding one is a folder beside
 * this file and one line here (docs/adr/0011-plugin-families.md); `RollbackActionConfig` and
 * `runRollbackAction` follow.
 */
export const rollbackActions = {
  exec: execAction,
  webhook: webhookAction,
  flag: flagAction,
  'dry-run': dryRunAction,
} satisfies Record<string, RollbackAction>;

export type RollbackActionKind = keyof typeof rollbackActions;

/** One action's config as candor.yml holds it (`services.<name>.rollback`), told apart by `kind`. */
export const RollbackActionConfig = z.discriminatedUnion('kind', [
  execAction.config,
  webhookAction.config,
  flagAction.config,
  dryRunAction.config,
]);
export type RollbackActionConfig = z.output<typeof RollbackActionConfig>;

type Registered = RollbackAction<z.ZodType<RollbackActionConfig>>;

/** The registered action of a config. */
export function rollbackActionOf(config: RollbackActionConfig): Registered {
  return rollbackActions[config.kind];
}

/** What the config's action would do, a line each (nothing runs). Never throws. */
export function describeRollbackAction(
  config: RollbackActionConfig,
  context: ActionContext,
): string[] {
  return rollbackActionOf(config).describe(config, context);
}

/** Runs the config's action once; an expected failure is an outcome, never a throw. */
export async function runRollbackAction(
  config: RollbackActionConfig,
  context: ActionContext,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  return await rollbackActionOf(config).run(config, context, signal);
}
