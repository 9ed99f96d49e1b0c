import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skippedCases, type ConformanceSkip } from '../testing/skipped-cases.ts';
import type { ActionContext, RollbackAction } from './rollback-action.ts';
import { rollbackActions, RollbackActionConfig, runRollbackAction } from './rollback-actions.ts';

/** What an action's test gives the suite, built in a fresh directory (`dir`, also the cwd). */
export type RollbackActionSamples = {
  /** A config that succeeds here. */
  working: unknown;
  /** A config that fails here (a command that exits 1, a receiver that answers 4xx, a missing flag). */
  failing: unknown;
  /** A config whose output or request carries the value of `secret.name` from the environment. */
  secret?: { config: unknown; name: string; value: string };
  /** True once the working sample has done its effect (a file written, a request received). */
  hasRun(): Promise<boolean> | boolean;
  close?(): Promise<void> | void;
};

export const rollbackActionConformanceCases = [
  'runs its working sample',
  'fails without throwing',
  'stops when aborted',
  'describes without running',
  'keeps secrets out of what it prints',
  'refuses unknown config keys',
] as const;
export type RollbackActionConformanceCase = (typeof rollbackActionConformanceCases)[number];

/** A context for the suite: production values, the given environment, `dir` as the cwd. */
export function conformanceContext(dir: string, env: Record<string, string> = {}): ActionContext {
  return {
    values: {
      service: 'checkout',
      environment: 'production',
      deployment: 'd-1',
      reason: 'test',
      purpose: 'rollback',
    },
    env: { PATH: process.env['PATH'], ...env },
    cwd: dir,
  };
}

/**
 * Registers, in a `describe` block named after the action, the cases every rollback action
 * passes: its working sample succeeds through the registry, its failing sample is a failure (no
 * throw), an aborted signal stops it, `describe` runs nothing, secrets never reach the output,
 * message or description, and unknown keys are refused by the config schema. Call it from the
 * action's own test; a skipped case is listed in its readme with the reason.
 */
export function runRollbackActionConformance(options: {
  action: RollbackAction;
  samples: (dir: string) => Promise<RollbackActionSamples> | RollbackActionSamples;
  skip?: readonly ConformanceSkip<RollbackActionConformanceCase>[];
}): void {
  const { action } = options;
  const suite = `rollback action conformance: ${action.id}`;
  if ((rollbackActions as Record<string, RollbackAction>)[action.id] !== action)
    throw new Error(`${suite}: not in rollback-actions.ts under "${action.id}"`);
  const skipped = skippedCases(suite, rollbackActionConformanceCases, options.skip);
  const test = (name: RollbackActionConformanceCase, body: () => Promise<void> | void) => {
    if (!skipped.has(name)) it(name, body, 30_000);
  };

  describe(suite, () => {
    let dir: string;
    let samples: RollbackActionSamples;
    const parse = (config: unknown) => RollbackActionConfig.parse(config);
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `candor-action-${action.id}-`));
      samples = await options.samples(dir);
    });
    afterAll(async () => {
      await samples.close?.();
      rmSync(dir, { recursive: true, force: true });
    });

    test('describes without running', async () => {
      const lines = action.describe(parse(samples.working), conformanceContext(dir));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.some((line) => line.startsWith('error:'))).toBe(false);
      expect(await samples.hasRun()).toBe(false);
    });

    test('runs its working sample', async () => {
      const outcome = await runRollbackAction(
        parse(samples.working),
        conformanceContext(dir),
        new AbortController().signal,
      );
      expect(outcome, outcome.message).toMatchObject({ result: 'success' });
      expect(outcome.message).not.toBe('');
      expect(await samples.hasRun()).toBe(true);
    });

    test('fails without throwing', async () => {
      const outcome = await runRollbackAction(
        parse(samples.failing),
        conformanceContext(dir),
        new AbortController().signal,
      );
      expect(outcome.result).toBe('failure');
      expect(outcome.message).not.toBe('');
    });

    test('stops when aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const outcome = await runRollbackAction(
        parse(samples.working),
        conformanceContext(dir),
        controller.signal,
      );
      expect(outcome.result).toBe('failure');
    });

    test('keeps secrets out of what it prints', async () => {
      const secret = samples.secret;
      expect(secret, 'the action gives a secret sample').toBeDefined();
      if (!secret) return;
      const context = conformanceContext(dir, { [secret.name]: secret.value });
      const config = parse(secret.config);
      const outcome = await runRollbackAction(config, context, new AbortController().signal);
      const printed = [outcome.message, outcome.output, ...action.describe(config, context)].join(
        '\n',
      );
      expect(printed).not.toContain(secret.value);
    });

    test('refuses unknown config keys', () => {
      const config = { ...(samples.working as Record<string, unknown>), mdoe: 'x' };
      const parsed = RollbackActionConfig.safeParse(config);
      expect(parsed.success).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toContain('mdoe');
    });
  });
}
