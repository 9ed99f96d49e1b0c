import { z } from 'zod';
import { addDays, daysBetween } from '../lib/time.ts';

/** Longest a quarantine entry may last, and the default. */
export const maxQuarantineDays = 30;
/** Days before expiry from which `check` warns. */
export const quarantineWarningDays = 7;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const QuarantineMode = z.enum(['run', 'skip']);
export type QuarantineMode = z.infer<typeof QuarantineMode>;

/**
 * An object schema that refuses fields it does not know, saying so in plain words with the
 * fields it knows (`mdoe: skip` would otherwise be ignored, and the test not skipped).
 */
function strictFields<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}: the fields are ${known}`
        : undefined,
  });
}

/** One quarantined test, by its exact key (no prefixes, no globs); unknown fields are refused. */
export const QuarantineEntry = strictFields({
  key: z.string().trim().min(1, 'a test key is required'),
  owner: z.string().trim().min(1, 'an owner is required'),
  reason: z.string().trim().min(1, 'a reason is required'),
  issue: z.url().optional(),
  created: isoDate,
  expires: isoDate,
  /** `run`: the test runs and its failure does not block; `skip`: the runner skips it. */
  mode: QuarantineMode.default('run'),
});
export type QuarantineEntry = z.infer<typeof QuarantineEntry>;

/** The reviewed file `.candor/quarantine.yml`; unknown fields are refused. */
export const QuarantineFile = strictFields({
  version: z.literal(1).default(1),
  tests: z.array(QuarantineEntry).default([]),
}).superRefine((file, ctx) => {
  const seen = new Set<string>();
  file.tests.forEach((entry, i) => {
    if (seen.has(entry.key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tests', i, 'key'],
        message: `"${entry.key}" is listed twice`,
      });
    }
    seen.add(entry.key);
    const days = daysBetween(entry.created, entry.expires);
    if (days < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['tests', i, 'expires'],
        message: 'expires before it was created',
      });
    } else if (days > maxQuarantineDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['tests', i, 'expires'],
        message: `at most ${maxQuarantineDays} days after created (${addDays(entry.created, maxQuarantineDays)})`,
      });
    }
  });
});
export type QuarantineFile = z.infer<typeof QuarantineFile>;

export type QuarantineStatus = 'active' | 'expiring' | 'expired';

/**
 * Where an entry stands on `today`: `expired` from its expiry date on, `expiring` within
 * `quarantineWarningDays` before it, else `active`.
 */
export function quarantineStatus(
  entry: Pick<QuarantineEntry, 'expires'>,
  today: string,
): QuarantineStatus {
  const left = daysBetween(today, entry.expires);
  if (left <= 0) return 'expired';
  if (left <= quarantineWarningDays) return 'expiring';
  return 'active';
}
