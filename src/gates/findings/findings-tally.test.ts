import { describe, expect, it } from 'vitest';
import type { Finding, StreamedFinding } from '../../core/evidence/finding.ts';
import { BaselineIndex, FindingsTally, type TalliedRun } from './findings-tally.ts';

const finding = (over: Partial<Finding>): Omit<Finding, 'level'> => ({
  ruleId: 'no-eval',
  uri: 'src/a.ts',
  startLine: 1,
  message: 'm',
  fingerprints: [],
  ...over,
});
const streamed = (over: Partial<Finding>, levelKey: string): StreamedFinding => ({
  ...finding(over),
  levelKey,
});
const run = (levels: Record<string, 'error' | 'warning' | 'note'> = {}): TalliedRun => ({
  tool: 'ESLint',
  didRun: true,
  suppressed: 0,
  levelOf: (key) => levels[key] ?? (key.startsWith('=') ? (key.slice(1) as 'error') : 'warning'),
});

describe('FindingsTally', () => {
  it('counts every new finding exactly and lists only the first ones, in order', () => {
    const tally = new FindingsTally(new BaselineIndex('/srv/repo'), {
      level: 'error',
      maxListed: 3,
    });
    tally.startFile('a.sarif');
    for (let i = 0; i < 10; i++) {
      tally.add(streamed({ message: `m${i}` }, i % 2 === 0 ? '=error' : '=note'), 0, 'ESLint');
    }
    tally.endFile([run()]);
    const result = tally.result();
    expect(result.newCount).toBe(5);
    expect(result.belowLevel).toBe(5);
    expect(result.newFindings.map((f) => [f.message, f.level, f.file])).toEqual([
      ['m0', 'error', 'a.sarif'],
      ['m2', 'error', 'a.sarif'],
      ['m4', 'error', 'a.sarif'],
    ]);
  });

  it('resolves levels when the file ends (an override read after the results)', () => {
    const tally = new FindingsTally(new BaselineIndex(''), { level: 'error', maxListed: 2 });
    tally.startFile('a.sarif');
    for (let i = 0; i < 4; i++) tally.add(streamed({ message: `x${i}` }, 'rule:x'), 0, 'ESLint');
    for (let i = 0; i < 4; i++) tally.add(streamed({ message: `y${i}` }, 'rule:y'), 0, 'ESLint');
    tally.endFile([run({ 'rule:x': 'note', 'rule:y': 'error' })]);
    const result = tally.result();
    expect([result.newCount, result.belowLevel]).toEqual([4, 4]);
    expect(result.newFindings.map((f) => f.message)).toEqual(['y0', 'y1']);
  });

  it('uses each baseline finding once, across files, and only for the same tool', () => {
    const baseline = new BaselineIndex('/srv/repo');
    baseline.add('ESLint', finding({ fingerprints: ['h=1'] }));
    baseline.add('ESLint', finding({ uri: 'file:///srv/repo/src/b.ts' }));
    const tally = new FindingsTally(baseline, { level: 'note' });
    tally.startFile('one.sarif');
    tally.add(streamed({ fingerprints: ['h=1'], startLine: 9 }, '=error'), 0, 'ESLint');
    tally.add(streamed({ uri: 'src/b.ts' }, '=error'), 0, 'Semgrep');
    tally.endFile([run()]);
    tally.startFile('two.sarif');
    tally.add(streamed({ fingerprints: ['h=1'] }, '=error'), 0, 'ESLint');
    tally.add(streamed({ uri: 'src/b.ts' }, '=error'), 0, 'ESLint');
    tally.endFile([run()]);
    const result = tally.result();
    expect(result.matched).toBe(2);
    expect(result.newFindings.map((f) => [f.file, f.tool, f.uri])).toEqual([
      ['one.sarif', 'Semgrep', 'src/b.ts'],
      ['two.sarif', 'ESLint', 'src/a.ts'],
    ]);
    expect(result.total).toBe(4);
  });

  it('matches 100,000 copies of one message one to one', () => {
    const baseline = new BaselineIndex('');
    for (let i = 0; i < 100_000; i++) baseline.add('T', finding({}));
    const tally = new FindingsTally(baseline, { level: 'note' });
    tally.startFile('a.sarif');
    for (let i = 0; i < 100_003; i++) tally.add(streamed({}, '=error'), 0, 'T');
    tally.endFile([run()]);
    expect([tally.result().matched, tally.result().newCount]).toEqual([100_000, 3]);
  });
});
