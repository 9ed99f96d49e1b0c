import { describe, expect, it } from 'vitest';
import {
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
});

runQuarantineExporterConformance({ exporter: playwrightExporter });
