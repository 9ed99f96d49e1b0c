import { z } from 'zod';
import { QuarantineEntry } from '../core/quarantine/quarantine.ts';

/** `candor quarantine list --json`: every entry with where it stands today. */
export const QuarantineList = z.object({
  tests: z.array(QuarantineEntry.extend({ status: z.enum(['active', 'expiring', 'expired']) })),
});
export type QuarantineList = z.infer<typeof QuarantineList>;

/** `candor quarantine check --json`: how many entries, which expire within 7 days, which expired. */
export const QuarantineCheck = z.object({
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
