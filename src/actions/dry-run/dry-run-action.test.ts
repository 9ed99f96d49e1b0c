import { describe, expect, it } from 'vitest';
import {
  conformanceContext,
  runRollbackActionConformance,
} from '../rollback-action-conformance.ts';
import {
  describeRollbackAction,
  RollbackActionConfig,
  runRollbackAction,
} from '../rollback-actions.ts';
import { dryRunAction } from './dry-run-action.ts';

runRollbackActionConformance({
  action: dryRunAction,
  samples: () => ({
    working: { kind: 'dry-run' },
    failing: { kind: 'dry-run', message: 'undo {{version}}' },
    hasRun: () => false,
  }),
  skip: [
    { reason: 'a dry run has no effect to observe', tests: ['runs its working sample'] },
    {
      reason: 'a dry run reads no environment variable',
      tests: ['keeps secrets out of what it prints'],
    },
  ],
});

describe('the dry-run action', () => {
  it('succeeds with what would be done, and is marked as changing nothing', async () => {
    const config = RollbackActionConfig.parse({
      kind: 'dry-run',
      message: 'page @payments to run helm rollback {{service}}',
    });
    const context = conformanceContext('.');
    expect(describeRollbackAction(config, context)).toEqual([
      'would: page @payments to run helm rollback checkout',
    ]);
    expect(await runRollbackAction(config, context, new AbortController().signal)).toEqual({
      result: 'success',
      message: 'dry run: would page @payments to run helm rollback checkout',
      output: '',
    });
    expect(dryRunAction.dryRun).toBe(true);
  });
});
