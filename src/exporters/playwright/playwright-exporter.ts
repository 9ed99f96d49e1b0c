import type { QuarantineExporter } from '../quarantine-exporter.ts';
import { skippedNamePatterns } from '../skipped-keys.ts';

/** Playwright: `npx playwright test --grep-invert="$(candor quarantine export --format playwright)"`. */
export const playwrightExporter = {
  id: 'playwright',
  description: 'a --grep-invert regex matching only the skipped tests',
  export(entries) {
    const names = skippedNamePatterns(entries);
    // Playwright matches against "file title-path"; a name that matches nothing: (?!)
    return names.length === 0 ? '(?!)' : `(?:${names.join('|')})$`;
  },
} satisfies QuarantineExporter;
