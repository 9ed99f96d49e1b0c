import { describe, expect, it } from 'vitest';
import { exportQuarantine, pytestNodeId, testNameOfKey } from './export-quarantine.ts';
import type { QuarantineEntry } from '../core/quarantine/quarantine.ts';

const entry = (key: string, mode: 'run' | 'skip'): QuarantineEntry => ({
  key,
  mode,
  owner: 'o',
  reason: 'r',
  created: '2026-11-01',
  expires: '2026-11-20',
});
const entries = [
  entry('cart adds item::cart adds item (1+1)', 'skip'),
  entry('tests/checkout.spec.ts::pays [linux]', 'skip'),
  entry('tests.test_worker.TestQueue::test_drains', 'skip'),
  entry('a::still runs', 'run'),
];

describe('exportQuarantine', () => {
  it('gives Jest and Vitest a name pattern that leaves the skipped tests out', () => {
    const pattern = new RegExp(exportQuarantine(entries, 'jest'));
    expect(pattern.test('cart adds item (1+1)')).toBe(false);
    expect(pattern.test('pays')).toBe(false);
    expect(pattern.test('still runs')).toBe(true);
    expect(pattern.test('cart adds item (1+1) twice')).toBe(true);
    expect(exportQuarantine([], 'vitest')).toBe('.*');
  });

  it('gives Playwright a --grep-invert pattern matching only the skipped tests', () => {
    const pattern = new RegExp(exportQuarantine(entries, 'playwright'));
    expect(pattern.test('tests/checkout.spec.ts checkout pays')).toBe(true);
    expect(pattern.test('tests/checkout.spec.ts checkout pays back')).toBe(false);
    expect(new RegExp(exportQuarantine([], 'playwright')).test('anything')).toBe(false);
  });

  it('gives pytest --deselect node ids', () => {
    expect(exportQuarantine(entries, 'pytest').split('\n')).toEqual([
      '--deselect=cart adds item.py::cart adds item (1+1)',
      '--deselect=tests/test_worker.py::TestQueue::test_drains',
      '--deselect=tests/checkout.spec.ts::pays',
    ]);
  });

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

describe('pytestNodeId and testNameOfKey', () => {
  it.each([
    ['tests/test_a.py::test_x', 'tests/test_a.py::test_x'],
    ['tests.test_a::test_x', 'tests/test_a.py::test_x'],
    ['pkg.sub.module_test.Case::test_y [py3.12]', 'pkg/sub/module_test.py::Case::test_y'],
  ])('%s → %s', (key, id) => {
    expect(pytestNodeId(key)).toBe(id);
  });

  it('takes the name after the last :: without the variant', () => {
    expect(testNameOfKey('a::b::c [win]')).toBe('c');
    expect(testNameOfKey('plain')).toBe('plain');
  });
});
