import { z } from 'zod';

/**
 * One stored run with counts of its distinct tests by final status: an entry of
 * `candor runs --json` and `GET /api/v1/runs` (README "candor runs"). Absent metadata is `null`.
 */
export const RunEntry = z.object({
  id: z.string(),
  repo: z.string(),
  branch: z.string().nullable(),
  commit: z.string().nullable(),
  variant: z.string().nullable(),
  ciProvider: z.string().nullable(),
  ciJob: z.string().nullable(),
  ciAttempt: z.string().nullable(),
  ciUrl: z.string().nullable(),
  startedAt: z.string(),
  reports: z.number(),
  tests: z.number(),
  passed: z.number(),
  failed: z.number(),
  skipped: z.number(),
  flaky: z.number(),
});
export type RunEntry = z.infer<typeof RunEntry>;

/** `candor runs --json` and `GET /api/v1/runs`: newest first. */
export const RunList = z.object({ runs: z.array(RunEntry) });
export type RunList = z.infer<typeof RunList>;
