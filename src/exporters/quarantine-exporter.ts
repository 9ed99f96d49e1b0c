import type { QuarantineEntry } from '../core/quarantine/quarantine.ts';

/**
 * The contract every quarantine exporter implements (one folder per test runner beside this
 * file, registered in `quarantine-exporters.ts`, checked by `quarantine-exporter-conformance.ts`):
 * it turns the active entries of the quarantine file into what one runner needs to skip the
 * `skip`-mode tests, as the text `candor quarantine export --format <id>` prints.
 */
export type QuarantineExporter = {
  /** The runner's name, equal to its key in `quarantineExporters`: what `--format` accepts. */
  readonly id: string;
  /** One line: what the output is and where it goes. */
  readonly description: string;
  /**
   * The output for `entries` (expired ones already left out by the caller), without a final
   * newline; the same whatever the order of the entries. Never throws.
   */
  export(entries: readonly QuarantineEntry[]): string;
  /**
   * Optional: what the runner needs to run only the tests with these keys (one shard of
   * `candor split --by test --format <id>`), without a final newline; '' for no key. Never throws.
   */
  selectTests?(keys: readonly string[]): string;
};
