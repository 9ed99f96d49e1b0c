import { describe, expect, it } from 'vitest';
import {
  quarantineSamples as entries,
  runQuarantineExporterConformance,
} from '../quarantine-exporter-conformance.ts';
import { exportQuarantine } from '../quarantine-exporters.ts';
import { jsonExporter } from './json-exporter.ts';

describe('jsonExporter', () => {
  it('lists keys by mode as JSON', () => {
    expect(JSON.parse(exportQuarantine(entries, 'json'))).toEqual({
      skip: [
        'cart adds item::cart adds item (1+1)',
        'tests.test_worker.TestQueue::test_drains',
        'tests/checkout.spec.ts::pays [linux]',
      ],
      run: ['a::still runs'],
    });
  });
});

runQuarantineExporterConformance({
  exporter: jsonExporter,
  skip: [
    {
      reason: 'it lists the run-mode keys too, for tools that report on them',
      tests: ['ignores run-mode entries'],
    },
  ],
});
