import { z } from 'zod';
import { reportFormats } from '../readers/test-results/test-result-readers.ts';

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === '');

/** Query parameters of POST /api/v1/test-reports: the run metadata the CLI takes as flags. */
export const TestReportQuery = z.object({
  run: z.string().min(1).max(200).optional(),
  repo: z.string().min(1).max(500).optional(),
  branch: z.string().min(1).max(500).optional(),
  commit: z.string().min(1).max(200).optional(),
  variant: z.string().min(1).max(200).optional(),
  defaultBranch: z.string().min(1).max(500).optional(),
  startedAt: z.iso.datetime({ offset: true }).optional(),
  ciProvider: z.string().max(100).optional(),
  ciJob: z.string().max(500).optional(),
  ciAttempt: z.string().max(100).optional(),
  ciUrl: z.string().max(2_000).optional(),
  format: z.enum(['auto', ...reportFormats] as [string, ...string[]]).default('auto'),
  allowEmpty: flag,
  /** A name for the report in summaries, e.g. its path in the CI workspace. */
  path: z.string().min(1).max(1_000).optional(),
});
export type TestReportQuery = z.infer<typeof TestReportQuery>;

export const RunsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(50),
  repo: z.string().min(1).optional(),
});
export type RunsQuery = z.infer<typeof RunsQuery>;
