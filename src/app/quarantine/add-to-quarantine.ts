import { fail, ok, type Result } from '../../core/lib/result.ts';
import type { Problem } from '../../core/lib/problem.ts';
import { addDays, daysBetween } from '../../core/lib/time.ts';
import {
  maxQuarantineDays,
  QuarantineEntry,
  quarantineStatus,
  type QuarantineMode,
} from '../../core/quarantine/quarantine.ts';
import { addQuarantineEntry, type LoadedQuarantine } from './quarantine-store.ts';

export type QuarantineRequest = {
  key: string;
  owner: string;
  reason: string;
  issue?: string | undefined;
  /** YYYY-MM-DD; default: `maxQuarantineDays` after `today`. */
  expires?: string | undefined;
  mode: QuarantineMode;
};

/**
 * Adds an entry created `today` to the quarantine file (keeping its comments) and returns it.
 * A field that is not valid, or an expiry that is not after today and at most
 * `maxQuarantineDays` away, is a problem whose `path` names the field (`expires`). Throws
 * CandorError `conflict` when the key is already quarantined, `io` when the file cannot be written.
 */
export function addToQuarantine(
  loaded: LoadedQuarantine,
  request: QuarantineRequest,
  today: string,
): Result<QuarantineEntry, Problem> {
  // Only the entry's own fields: the schema refuses any other (a caller's options, say).
  const parsed = QuarantineEntry.safeParse({
    key: request.key,
    owner: request.owner,
    reason: request.reason,
    issue: request.issue,
    mode: request.mode,
    created: today,
    expires: request.expires ?? addDays(today, maxQuarantineDays),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail({
      path: String(issue?.path[0] ?? 'key'),
      message: issue?.message ?? 'invalid',
    });
  }
  const entry = parsed.data;
  // The rules of the file and of `check`: expired from its expiry date on, at most 30 days long.
  if (
    quarantineStatus(entry, today) === 'expired' ||
    daysBetween(today, entry.expires) > maxQuarantineDays
  ) {
    return fail({
      path: 'expires',
      message: `must be after today and at most ${maxQuarantineDays} days away (${addDays(today, maxQuarantineDays)})`,
    });
  }
  addQuarantineEntry(loaded, entry);
  return ok(entry);
}
