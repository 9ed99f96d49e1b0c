import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateWatch } from '../../core/watch/evaluate-watch.ts';
import { parseWatchInput } from '../../core/watch/watch-input.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe("the README's candor watch input", () => {
  it('is a valid input, every detector in it, and too short to say healthy', () => {
    const at = readme.indexOf('### `candor watch`');
    const block = /```json\n([\s\S]*?)```/.exec(readme.slice(at));
    const parsed = parseWatchInput(JSON.parse(block![1]!));
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.metrics.map((m) => m.detector)).toEqual(['drift', 'shift', 'kpi', 'burn']);
    const report = evaluateWatch(parsed.value);
    expect(report.verdict).toBe('inconclusive');
    expect(report.findings.find((f) => f.detector === 'drift')?.reason).toBe('3 points, 15 needed');
  });

  it('names the JSON path of each problem', () => {
    const parsed = parseWatchInput({
      start: 'yesterday',
      metrics: [{ name: 'x', detector: 'burn', objective: 2, bad: [], total: [] }],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.path)).toEqual(['start', 'metrics[0].objective']);
  });
});
