import { addDays } from '../../core/lib/time.ts';
import {
  maxQuarantineDays,
  QuarantineEntry,
  type QuarantineMode,
} from '../../core/quarantine/quarantine.ts';
import type { Store } from '../../store/open-store.ts';
import { analyzeFlakyTests, type FlakyQuery } from '../flaky/build-flaky-report.ts';
import { addQuarantineEntries, type LoadedQuarantine } from './quarantine-store.ts';

/** The owner written when CODEOWNERS names none (docs/adr/0015): a TODO, not an owner. */
export const noOwnerPlaceholder = 'TODO';

/**
 * Entries for the tests classified flaky in the window that the quarantine file does not hold
 * yet (never a broken test: it needs a fix, not a mute), owned by their first CODEOWNERS
 * owner (`TODO` when none matches the test's file), created `today`, lasting the longest a quarantine may. With `write`, adds them to the
 * file at once. Throws what `analyzeFlakyTests` and `addQuarantineEntries` throw.
 */
export async function suggestQuarantine(
  store: Store,
  options: {
    flaky: FlakyQuery;
    quarantine: LoadedQuarantine;
    mode: QuarantineMode;
    today: string;
    write: boolean;
  },
): Promise<{ suggestions: QuarantineEntry[]; written: boolean }> {
  const suggestions = await proposeQuarantineEntries(store, options);
  return keepNewSuggestions(options.quarantine, suggestions, options.write);
}

/**
 * An entry for every test classified flaky in the window, whatever a quarantine file holds (what
 * `GET /api/v1/quarantine/suggestions` answers: the file lives with the caller, who keeps the
 * new ones with `keepNewSuggestions`). Throws what `analyzeFlakyTests` throws.
 */
export async function proposeQuarantineEntries(
  store: Store,
  options: { flaky: FlakyQuery; mode: QuarantineMode; today: string },
): Promise<QuarantineEntry[]> {
  const analysis = await analyzeFlakyTests(store, options.flaky);
  return analysis.notable
    .filter((t) => t.classification === 'flaky')
    .map((t) =>
      QuarantineEntry.parse({
        key: t.key,
        // No CODEOWNERS rule matched: a placeholder a reviewer must replace, never a made-up owner.
        owner: t.owners[0] ?? noOwnerPlaceholder,
        // Written into the reviewed file: its wording is data, kept as it always was.
        reason: `flaky: ${t.signals.join(', ')}; ${(t.flakyRate * 100).toFixed(1)}% of ${t.executions} runs`,
        created: options.today,
        expires: addDays(options.today, maxQuarantineDays),
        mode: options.mode,
      }),
    );
}

/**
 * The suggestions whose key the quarantine file does not hold yet; with `write`, added to the
 * file at once. Throws what `addQuarantineEntries` throws.
 */
export function keepNewSuggestions(
  loaded: LoadedQuarantine,
  proposed: readonly QuarantineEntry[],
  write: boolean,
): { suggestions: QuarantineEntry[]; written: boolean } {
  const known = new Set(loaded.file.tests.map((e) => e.key));
  const suggestions = proposed.filter((entry) => !known.has(entry.key));
  if (write) addQuarantineEntries(loaded, suggestions);
  return { suggestions, written: write };
}
