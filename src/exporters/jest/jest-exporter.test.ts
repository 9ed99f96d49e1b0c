import { describe, expect, it } from 'vitest';
import {
  quarantineSamples as entries,
  runQuarantineExporterConformance,
} from '../quarantine-exporter-conformance.ts';
import { exportQuarantine } from '../quarantine-exporters.ts';
import { jestExporter } from './jest-exporter.ts';

describe('jestExporter', () => {
  it('gives Jest a name pattern that leaves the skipped tests out', () => {
    const pattern = new RegExp(exportQuarantine(entries, 'jest'));
    expect(pattern.test('cart adds item (1+1)')).toBe(false);
    expect(pattern.test('pays')).toBe(false);
    expect(pattern.test('still runs')).toBe(true);
    expect(pattern.test('cart adds item (1+1) twice')).toBe(true);
    expect(exportQuarantine([], 'jest')).toBe('.*');
  });
});

runQuarantineExporterConformance({ exporter: jestExporter });
