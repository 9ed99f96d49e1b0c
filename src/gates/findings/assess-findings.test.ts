import { describe, expect, it } from 'vitest';
import type { Finding, FindingsLog } from '../../core/evidence/finding.ts';
import { assessFindings } from './assess-findings.ts';

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'no-eval',
  level: 'error',
  uri: 'src/a.ts',
  startLine: 1,
  message: 'm',
  fingerprints: [],
  ...over,
});
const log = (findings: Finding[], tool = 'ESLint', didRun = true): FindingsLog => ({
  version: '2.1.0',
  runs: [{ tool, didRun, findings, suppressed: 0 }],
});
const root = '/srv/repo';

describe('assessFindings', () => {
  it('counts findings absent from the baseline at the level, matching absolute and relative URIs', () => {
    const result = assessFindings(
      [
        {
          file: 'now.sarif',
          log: log([
            finding({ uri: 'file:///srv/repo/src/a.ts' }),
            finding({ message: 'other' }),
            finding({ level: 'warning', message: 'w' }),
          ]),
        },
      ],
      [{ file: 'base.sarif', log: log([finding({ uri: '/ci/checkout/src/a.ts' }), finding({})]) }],
      { level: 'error', root },
    );
    expect(result.matched).toBe(1);
    expect(result.newFindings.map((f) => [f.message, f.file, f.uri])).toEqual([
      ['other', 'now.sarif', 'src/a.ts'],
    ]);
    expect(result.belowLevel).toBe(1);
    expect(result.total).toBe(3);
  });

  it('counts every finding as new without a baseline', () => {
    const result = assessFindings(
      [{ file: 'a.sarif', log: log([finding({}), finding({ level: 'note' })]) }],
      undefined,
      { level: 'note', root },
    );
    expect(result.newFindings).toHaveLength(2);
  });

  it('matches per tool: the same rule of another tool is new', () => {
    const result = assessFindings(
      [{ file: 'a.sarif', log: log([finding({})], 'Semgrep') }],
      [{ file: 'b.sarif', log: log([finding({})], 'ESLint') }],
      { level: 'error', root },
    );
    expect(result.newFindings).toHaveLength(1);
  });

  it('lists runs whose tool did not run', () => {
    const result = assessFindings([{ file: 'a.sarif', log: log([], 'CodeQL', false) }], undefined, {
      level: 'error',
      root,
    });
    expect(result.notRun).toEqual([{ file: 'a.sarif', run: 0, tool: 'CodeQL' }]);
  });
});
