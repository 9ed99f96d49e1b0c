import { describe, expect, it } from 'vitest';
import {
  quarantineEntry,
  quarantineSamples as entries,
  runQuarantineExporterConformance,
} from '../quarantine-exporter-conformance.ts';
import { exportQuarantine } from '../quarantine-exporters.ts';
import { playwrightExporter } from './playwright-exporter.ts';

describe('playwrightExporter', () => {
  it('gives Playwright a --grep-invert pattern matching only the skipped tests', () => {
    const pattern = new RegExp(exportQuarantine(entries, 'playwright'));
    expect(pattern.test('tests/checkout.spec.ts checkout pays')).toBe(true);
    expect(pattern.test('tests/checkout.spec.ts checkout pays back')).toBe(false);
    expect(new RegExp(exportQuarantine([], 'playwright')).test('anything')).toBe(false);
  });

  it('matches the string Playwright greps: project, file, describe, title and tags, by spaces', () => {
    const pattern = new RegExp(
      exportQuarantine(
        [quarantineEntry('e2e/cart.spec.ts::cart › adds an item', 'skip'), ...entries],
        'playwright',
      ),
    );
    expect(pattern.test('chromium e2e/cart.spec.ts cart adds an item')).toBe(true);
    expect(pattern.test('chromium e2e/cart.spec.ts cart adds an item @slow @flaky')).toBe(true);
    expect(pattern.test('tests/checkout.spec.ts checkout pays @smoke')).toBe(true);
    expect(pattern.test('chromium e2e/cart.spec.ts cart adds an item twice')).toBe(false);
    expect(pattern.test('chromium e2e/cart.spec.ts cart readds an item')).toBe(false);
  });
});

runQuarantineExporterConformance({ exporter: playwrightExporter });
