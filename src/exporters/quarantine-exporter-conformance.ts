import { describe, expect, it } from 'vitest';
import type { QuarantineEntry } from '../core/quarantine/quarantine.ts';
import { skippedCases, type ConformanceSkip } from '../testing/skipped-cases.ts';
import type { QuarantineExporter } from './quarantine-exporter.ts';
import { exportQuarantine, isQuarantineExportFormat } from './quarantine-exporters.ts';

/** A valid entry of the quarantine file with `key` and `mode`. */
export function quarantineEntry(key: string, mode: 'run' | 'skip'): QuarantineEntry {
  return { key, mode, owner: 'o', reason: 'r', created: '2026-11-01', expires: '2026-11-20' };
}

/**
 * Entries in the shapes keys take: a Jest title path, a Playwright file key with a variant, a
 * pytest classname, and one entry that runs. Every exporter's test reads them.
 */
export const quarantineSamples: readonly QuarantineEntry[] = [
  quarantineEntry('cart adds item::cart adds item (1+1)', 'skip'),
  quarantineEntry('tests/checkout.spec.ts::pays [linux]', 'skip'),
  quarantineEntry('tests.test_worker.TestQueue::test_drains', 'skip'),
  quarantineEntry('a::still runs', 'run'),
];

/** Keys with what regular expressions, shells and JSON treat specially. */
const oddKeys = [
  'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o/p::q.r*s(t) [x|y]',
  'file.spec.ts::it says "hi" and \'bye\'',
  'suite::$(rm -rf x) `x` ; & > <',
  'no separator at all',
  'ünïcödé::tëst ✓ 𝄞',
  '::',
];

/** The cases of the suite, by name: what an exporter's `skip` may list. */
export const quarantineExporterConformanceCases = [
  'exports no entries',
  'depends on the skip-mode entries',
  'ignores the order of entries',
  'ignores run-mode entries',
  'never throws on odd keys',
] as const;
export type QuarantineExporterConformanceCase = (typeof quarantineExporterConformanceCases)[number];

/**
 * Registers, in a `describe` block named after the exporter, the cases every quarantine exporter
 * passes: an output for no entries, an output that changes with the `skip`-mode entries and not
 * with their order or the `run`-mode ones, no throw on keys full of special characters, and the
 * same output through `exportQuarantine`. Call it from the exporter's own test. A case listed in
 * `skip` is not registered at all; the exporter's readme lists it with the reason. Throws while
 * the file is collected when a skip has no reason or names no case, or when the exporter is not
 * registered.
 */
export function runQuarantineExporterConformance(options: {
  exporter: QuarantineExporter;
  skip?: readonly ConformanceSkip<QuarantineExporterConformanceCase>[];
}): void {
  const { exporter } = options;
  const suite = `quarantine exporter conformance: ${exporter.id}`;
  if (!isQuarantineExportFormat(exporter.id)) {
    throw new Error(`${suite}: not in quarantine-exporters.ts`);
  }
  const format = exporter.id;
  const skipped = skippedCases(suite, quarantineExporterConformanceCases, options.skip);
  const skipping = quarantineSamples.filter((e) => e.mode === 'skip');
  const output = (entries: readonly QuarantineEntry[]) => {
    const text = exporter.export(entries);
    expect(exportQuarantine(entries, format)).toBe(text);
    return text;
  };

  /** Every case registers its `it` blocks here; a case without one is a type error. */
  const cases: Record<QuarantineExporterConformanceCase, () => void> = {
    'exports no entries': () =>
      it('gives an output for no entries, the same each time', () => {
        expect(typeof output([])).toBe('string');
        expect(output([])).toBe(output([]));
      }),

    'depends on the skip-mode entries': () =>
      it('gives another output as soon as one test is skipped', () => {
        const one = [quarantineEntry('suite::flaky one', 'skip')];
        expect(output(one)).not.toBe(output([]));
        expect(output([...one, quarantineEntry('suite::flaky two', 'skip')])).not.toBe(output(one));
      }),

    'ignores the order of entries': () =>
      it('gives the same output whatever the order of the entries', () => {
        const reversed = [...quarantineSamples].reverse();
        const rotated = [...quarantineSamples.slice(2), ...quarantineSamples.slice(0, 2)];
        expect(output(reversed)).toBe(output(quarantineSamples));
        expect(output(rotated)).toBe(output(quarantineSamples));
      }),

    'ignores run-mode entries': () =>
      it('gives the same output with or without run-mode entries', () => {
        expect(output(quarantineSamples)).toBe(output(skipping));
      }),

    'never throws on odd keys': () =>
      it.each(oddKeys)('gives an output for the key %j', (key) => {
        expect(typeof output([quarantineEntry(key, 'skip')])).toBe('string');
      }),
  };

  describe(suite, () => {
    for (const name of quarantineExporterConformanceCases) if (!skipped.has(name)) cases[name]();
  });
}
