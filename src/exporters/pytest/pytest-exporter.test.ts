import { describe, expect, it } from 'vitest';
import {
  quarantineSamples as entries,
  runQuarantineExporterConformance,
} from '../quarantine-exporter-conformance.ts';
import { exportQuarantine } from '../quarantine-exporters.ts';
import { pytestExporter, pytestNodeId } from './pytest-exporter.ts';

describe('pytestExporter', () => {
  it('gives pytest --deselect node ids', () => {
    expect(exportQuarantine(entries, 'pytest').split('\n')).toEqual([
      '--deselect=cart adds item.py::cart adds item (1+1)',
      '--deselect=tests/test_worker.py::TestQueue::test_drains',
      '--deselect=tests/checkout.spec.ts::pays',
    ]);
  });

  it('prints nothing when no test is skipped', () => {
    expect(exportQuarantine([], 'pytest')).toBe('');
  });
});

describe('pytestNodeId', () => {
  it.each([
    ['tests/test_a.py::test_x', 'tests/test_a.py::test_x'],
    ['tests.test_a::test_x', 'tests/test_a.py::test_x'],
    ['pkg.sub.module_test.Case::test_y [py3.12]', 'pkg/sub/module_test.py::Case::test_y'],
  ])('%s → %s', (key, id) => {
    expect(pytestNodeId(key)).toBe(id);
  });
});

runQuarantineExporterConformance({ exporter: pytestExporter });
