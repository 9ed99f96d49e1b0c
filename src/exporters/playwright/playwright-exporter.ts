import type { QuarantineExporter } from '../quarantine-exporter.ts';
import { skippedKeys, testNameOfKey } from '../skipped-keys.ts';

/** A regex Playwright's --grep matches against "project file describe… title @tag…". */
function grepPattern(keys: readonly string[]): string {
  const names = [...new Set(keys.map((key) => testNameOfKey(key).replace(/ › /g, ' ')))]
    .sort()
    .map(escapeRegExp);
  // A name that matches nothing: (?!)
  return names.length === 0 ? '(?!)' : `(?:^|\\s)(?:${names.join('|')})(?: @\\S+)*$`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Playwright: `npx playwright test --grep-invert="$(candor quarantine export --format playwright)"`.
 * Playwright tests `--grep` against "project file describe… title @tag…" joined by spaces, so a
 * name written with ` › ` (its JUnit and list reporters) is matched with spaces, and tags may
 * follow the title.
 */
export const playwrightExporter = {
  id: 'playwright',
  description: 'a --grep-invert regex matching only the skipped tests',
  export: (entries) => grepPattern(skippedKeys(entries)),
  /** `npx playwright test --grep="$(candor split --by test --format playwright …)"` */
  selectTests: grepPattern,
} satisfies QuarantineExporter;
