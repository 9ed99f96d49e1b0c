import { describe, expect, it } from 'vitest';
import {
  quarantineEntry,
  quarantineSamples as entries,
  runQuarantineExporterConformance,
} from '../quarantine-exporter-conformance.ts';
import { exportQuarantine } from '../quarantine-exporters.ts';
import { vitestExporter } from './vitest-exporter.ts';

describe('vitestExporter', () => {
  it('gives Vitest a name pattern that leaves the skipped tests out', () => {
    const pattern = new RegExp(exportQuarantine(entries, 'vitest'));
    expect(pattern.test('cart adds item (1+1)')).toBe(false);
    expect(pattern.test('pays')).toBe(false);
    expect(pattern.test('still runs')).toBe(true);
    expect(pattern.test('cart adds item (1+1) twice')).toBe(true);
    expect(exportQuarantine([], 'vitest')).toBe('.*');
  });

  it('matches names with regex characters literally', () => {
    const name = 'sums a.b*c (x|y) [1] $5 ^ \\ /';
    const pattern = new RegExp(exportQuarantine([quarantineEntry(`m::${name}`, 'skip')], 'vitest'));
    expect(pattern.test(name)).toBe(false);
    expect(pattern.test('sums aXb*c (x|y) [1] $5 ^ \\ /')).toBe(true);
  });
});

runQuarantineExporterConformance({ exporter: vitestExporter });
