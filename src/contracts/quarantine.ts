import { z } from 'zod';
import { QuarantineEntry } from '../core/quarantine/quarantine.ts';

/** `candor quarantine list --json`: every entry with where it stands today. */
export const QuarantineList = z.object({
  tests: z.array(QuarantineEntry.extend({ status: z.enum(['active', 'expiring', 'expired']) })),
});
export type QuarantineList = z.infer<typeof QuarantineList>;

/** A problem of the quarantine file: where (1-based; null when unknown) and what, in plain words. */
export const QuarantineFileProblem = z.object({
  line: z.number().nullable(),
  column: z.number().nullable(),
  /** The place inside the file: `tests[0].mode`, "" for the whole file. */
  path: z.string(),
  message: z.string(),
});
export type QuarantineFileProblem = z.infer<typeof QuarantineFileProblem>;

/**
 * `candor quarantine check --json`: whether the file is valid (every problem when it is not,
 * and then no entries), how many entries, which expire within 7 days, which expired.
 */
export const QuarantineCheck = z.object({
  valid: z.boolean(),
  problems: z.array(QuarantineFileProblem),
  entries: z.number(),
  expiring: z.array(QuarantineEntry),
  expired: z.array(QuarantineEntry),
});
export type QuarantineCheck = z.infer<typeof QuarantineCheck>;

/** `candor quarantine suggest --json`: the entries proposed, and whether they were written. */
export const QuarantineSuggestions = z.object({
  suggestions: z.array(QuarantineEntry),
  written: z.boolean(),
});
export type QuarantineSuggestions = z.infer<typeof QuarantineSuggestions>;
