import type { QuarantineEntry } from '../core/quarantine/quarantine.ts';
import { jestExporter } from './jest/jest-exporter.ts';
import { jsonExporter } from './json/json-exporter.ts';
import { playwrightExporter } from './playwright/playwright-exporter.ts';
import { pytestExporter } from './pytest/pytest-exporter.ts';
import type { QuarantineExporter } from './quarantine-exporter.ts';
import { vitestExporter } from './vitest/vitest-exporter.ts';

/**
 * Every quarantine exporter, by id, in the order `--format` lists them. Adding a runner is one
 * folder beside this file and one line here (docs/adr/0011-plugin-families.md); callers use
 * `exportQuarantine`.
 */
export const quarantineExporters = {
  jest: jestExporter,
  vitest: vitestExporter,
  pytest: pytestExporter,
  playwright: playwrightExporter,
  json: jsonExporter,
} satisfies Record<string, QuarantineExporter>;

export type QuarantineExportFormat = keyof typeof quarantineExporters;
/** What `candor quarantine export --format` accepts. */
export const quarantineExportFormats = Object.keys(quarantineExporters) as QuarantineExportFormat[];

/**
 * What a runner needs to skip the `skip`-mode entries:
 * jest/vitest: a `--testNamePattern` regex matching every other test;
 * playwright: a `--grep-invert` regex matching the skipped ones;
 * pytest: one `--deselect=<node id>` per line; json: `{"skip": [...], "run": [...]}` keys.
 * Never throws.
 */
export function exportQuarantine(
  entries: readonly QuarantineEntry[],
  format: QuarantineExportFormat,
): string {
  return quarantineExporters[format].export(entries);
}

/** True when `value` is the id of a registered exporter. Never throws. */
export function isQuarantineExportFormat(value: string): value is QuarantineExportFormat {
  return Object.hasOwn(quarantineExporters, value);
}

/** The runners whose exporter can select tests: what `candor split --by test --format` accepts. */
export const testSelectionFormats = quarantineExportFormats.filter(
  (format) => (quarantineExporters[format] as QuarantineExporter).selectTests !== undefined,
);

/**
 * What a runner needs to run only the tests with these keys (`candor split --by test --format`):
 * jest/vitest a `-t` regex, playwright a `--grep` regex, pytest one node id per line. '' when the
 * runner's exporter cannot select. Never throws.
 */
export function selectTests(keys: readonly string[], format: QuarantineExportFormat): string {
  const exporter: QuarantineExporter = quarantineExporters[format];
  return exporter.selectTests?.(keys) ?? '';
}
