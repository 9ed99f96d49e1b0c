import type { z } from 'zod';
import type { TemplateValues } from '../core/release/fill-template.ts';

/** Why an action runs: a real rollback, or a drill against a non-production environment. */
export type ActionPurpose = 'rollback' | 'drill';

/** What an action may use when it runs, passed in by the caller (never read from `process`). */
export type ActionContext = {
  /** The values of `{{service}}`, `{{environment}}`, `{{deployment}}`, `{{reason}}`, `{{purpose}}`. */
  values: TemplateValues & { service: string; environment: string; purpose: ActionPurpose };
  /** The environment variables of the caller: secrets and allow-listed variables come from here. */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths in an action's config (a working directory, a flag file) start here. */
  cwd: string;
};

/**
 * How a run ended. Expected failures (a non-zero exit, a timeout, an HTTP error, a missing flag)
 * are a `failure` with the reason, never a throw: a rollback that failed must be recorded.
 */
export type ActionOutcome = {
  result: 'success' | 'failure';
  /** One line for people: "exited with 0", "HTTP 503 after 3 attempts", "timed out after 30s". */
  message: string;
  /** What the command printed or the receiver answered: bounded, with secrets replaced by ***. */
  output: string;
};

/**
 * The contract every rollback action implements (one folder per kind beside this file,
 * registered in `rollback-actions.ts`, checked by `rollback-action-conformance.ts`;
 * docs/adr/0023-rollback-actions.md). `candor.yml` `services.<name>.rollback` holds one action's
 * config, told apart by `kind`.
 */
export type RollbackAction<Schema extends z.ZodType = z.ZodType> = {
  /** The `kind` in candor.yml, equal to its key in `rollbackActions`. */
  readonly id: string;
  /** One line: what the action does. */
  readonly description: string;
  /** True when a run changes nothing (`dry-run`): such runs are printed, never recorded. */
  readonly dryRun: boolean;
  /** The config as candor.yml holds it: a strict object whose `kind` is `id`. */
  readonly config: Schema;
  /**
   * What `run` would do, a line each, for dry runs and logs: argv, URL, file and flag; secret
   * values never appear. Problems in the config that only the context reveals (a placeholder
   * with no value) are errors. Never throws.
   */
  describe(config: z.output<Schema>, context: ActionContext): string[];
  /**
   * Runs the action once. Stops and returns a failure when `signal` aborts (the caller's
   * timeout). Never throws for an expected failure.
   */
  run(
    config: z.output<Schema>,
    context: ActionContext,
    signal: AbortSignal,
  ): Promise<ActionOutcome>;
};

/** An action with its config type tied to its schema (the registry's entries are built with it). */
export function defineRollbackAction<Schema extends z.ZodType>(
  action: RollbackAction<Schema>,
): RollbackAction<Schema> {
  return action;
}
