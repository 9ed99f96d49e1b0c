import { z } from 'zod';
import { attemptStatuses, finalStatuses } from '../core/tests/test-model.ts';

/** One attempt of a test in a run, as stored (core/tests/test-model.ts `Attempt`). */
export const AttemptJson = z.object({
  status: z.enum(attemptStatuses),
  failureKind: z.enum(['failure', 'error']).optional(),
  durationMs: z.number().optional(),
  message: z.string().optional(),
  type: z.string().optional(),
  trace: z.string().optional(),
  stdout: z.string().optional(),
  stderr: z.string().optional(),
});
export type AttemptJson = z.infer<typeof AttemptJson>;

/**
 * `candor tests show <key> --json`: each test the key names (every variant of a key given
 * without one), with its latest executions, newest first.
 */
export const TestHistory = z.object({
  tests: z.array(
    z.object({
      key: z.string(),
      repo: z.string(),
      name: z.string(),
      classname: z.string().nullable(),
      file: z.string().nullable(),
      suite: z.string().nullable(),
      variant: z.string().nullable(),
      executions: z.array(
        z.object({
          run: z.string(),
          startedAt: z.string(),
          branch: z.string().nullable(),
          commit: z.string().nullable(),
          status: z.enum(finalStatuses),
          durationMs: z.number().nullable(),
          attempts: z.array(AttemptJson),
        }),
      ),
    }),
  ),
});
export type TestHistory = z.infer<typeof TestHistory>;
