import { z } from 'zod';
import { fillTemplate } from '../../core/release/fill-template.ts';
import { defineRollbackAction } from '../rollback-action.ts';

const DryRunConfig = z.strictObject({
  kind: z.literal('dry-run'),
  /** What a person would do, printed with placeholders filled (default: a generic line). */
  message: z.string().min(1).default('roll back {{service}} in {{environment}}'),
});

/** Runs nothing: prints what a rollback would do, for a service whose rollback is still manual. */
export const dryRunAction = defineRollbackAction({
  id: 'dry-run',
  description:
    'runs nothing: prints what would be done (a placeholder until the rollback is automated)',
  dryRun: true,
  config: DryRunConfig,
  describe(config, context) {
    const filled = fillTemplate(config.message, context.values);
    return filled.ok
      ? [`would: ${filled.value}`]
      : filled.errors.map((e) => `error: message: ${e}`);
  },
  run(config, context, signal) {
    const filled = fillTemplate(config.message, context.values);
    if (signal.aborted)
      return Promise.resolve({ result: 'failure', message: 'stopped', output: '' });
    return Promise.resolve(
      filled.ok
        ? { result: 'success', message: `dry run: would ${filled.value}`, output: '' }
        : { result: 'failure', message: filled.errors.join('; '), output: '' },
    );
  },
});
