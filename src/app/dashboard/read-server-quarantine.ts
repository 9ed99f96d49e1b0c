import type { QuarantineEntry } from '../../core/quarantine/quarantine.ts';
import { openQuarantine } from '../quarantine/open-quarantine.ts';
import { defaultQuarantinePath } from '../quarantine/quarantine-store.ts';

/**
 * The tests quarantined in `cwd`'s `.candor/quarantine.yml` (none without the file), read on
 * each call so an edit shows without a restart. Throws what `openQuarantine` throws (a bad file
 * is CandorError `invalid-input` naming file:line:column).
 */
export function readServerQuarantine(cwd: string): readonly QuarantineEntry[] {
  return openQuarantine(cwd, defaultQuarantinePath).file.tests;
}
