import type { RecordEventsResult } from '../../app/delivery/record-events.ts';
import type { Document } from '../render/renderer.ts';

/** Problems and conflicts listed one by one; more are counted. */
const shown = 50;

/** `candor event` and `events import`: how many events were stored, known, refused. */
export function describeRecordedEvents(result: RecordEventsResult): Document {
  const conflicting =
    result.conflicts.length > 0 ? ` (${result.conflicts.length} with different content)` : '';
  const ignored = result.ignored > 0 ? `, ${result.ignored} ignored (not recorded by candor)` : '';
  return {
    blocks: [
      {
        kind: 'paragraph',
        text: `${result.stored} event(s) stored, ${result.duplicates} already stored${conflicting}${ignored}, ${result.errors.length} problem(s)`,
      },
    ],
  };
}

/**
 * What goes to standard error: a warning per conflict and per event that can never count (with
 * `--json` too, so a log shows them) and, without `--json`, each refused line or event; the
 * first 50 of each.
 */
export function describeEventProblems(result: RecordEventsResult, json: boolean): Document {
  const warnings = result.conflicts.slice(0, shown).map((c) => `warning: ${c.message}`);
  if (result.conflicts.length > shown)
    warnings.push(`warning: … and ${result.conflicts.length - shown} more conflicting events`);
  for (const w of result.warnings.slice(0, shown)) warnings.push(`warning: ${w.message}`);
  if (result.warnings.length > shown)
    warnings.push(`warning: … and ${result.warnings.length - shown} more warnings`);
  const problems = json ? [] : result.errors.slice(0, shown).map((e) => `✗ ${e.message}`);
  if (!json && result.errors.length > shown)
    problems.push(`… and ${result.errors.length - shown} more problems`);
  return { blocks: [{ kind: 'list', items: [...warnings, ...problems] }] };
}
