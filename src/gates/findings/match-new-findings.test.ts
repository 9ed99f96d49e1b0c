import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/evidence/finding.ts';
import { matchNewFindings } from './match-new-findings.ts';
import { isRepoRelativeUri, normaliseArtifactUri } from './normalise-artifact-uri.ts';

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'no-eval',
  level: 'error',
  uri: 'src/a.ts',
  startLine: 1,
  message: 'eval is evil',
  fingerprints: [],
  ...over,
});

describe('matchNewFindings', () => {
  it('matches by fingerprint whatever the line and message', () => {
    const base = [finding({ fingerprints: ['primaryLocationLineHash=aa:1'], startLine: 3 })];
    const now = [
      finding({ fingerprints: ['primaryLocationLineHash=aa:1'], startLine: 30, message: 'x' }),
      finding({ fingerprints: ['primaryLocationLineHash=bb:1'] }),
    ];
    expect(matchNewFindings(now, base)).toEqual(['fingerprint', 'new']);
  });

  it('does not fall back when both carry fingerprints that differ', () => {
    const base = [finding({ fingerprints: ['h=1'] })];
    expect(matchNewFindings([finding({ fingerprints: ['h=2'] })], base)).toEqual(['new']);
  });

  it('falls back to rule, file and line content when a line moved', () => {
    const base = [finding({ snippet: 'eval(x)', startLine: 4 })];
    const now = [finding({ snippet: 'eval(x)', startLine: 40 }), finding({ snippet: 'eval(y)' })];
    expect(matchNewFindings(now, base)).toEqual(['line-content', 'new']);
  });

  it('falls back to rule, file and message without a snippet, one baseline finding each', () => {
    const base = [finding({}), finding({})];
    const now = [finding({}), finding({}), finding({})];
    expect(matchNewFindings(now, base)).toEqual(['message', 'message', 'new']);
  });

  it('never matches another rule or another file', () => {
    const base = [finding({ fingerprints: ['h=1'] }), finding({ uri: 'src/b.ts' })];
    const now = [finding({ ruleId: 'other', fingerprints: ['h=1'] }), finding({ uri: 'src/c.ts' })];
    expect(matchNewFindings(now, base)).toEqual(['new', 'new']);
  });

  it('falls back when the baseline was written without fingerprints', () => {
    const base = [finding({ snippet: 'eval(x)' })];
    expect(
      matchNewFindings([finding({ snippet: 'eval(x)', fingerprints: ['h=1'] })], base),
    ).toEqual(['line-content']);
  });

  it('says everything is new against an empty baseline', () => {
    expect(matchNewFindings([finding({}), finding({})], [])).toEqual(['new', 'new']);
  });
});

describe('normaliseArtifactUri', () => {
  it.each([
    ['file:///srv/repo/src/a.ts', 'src/a.ts'],
    ['/srv/repo/src/a%20b.ts', 'src/a b.ts'],
    ['./src/a.ts', 'src/a.ts'],
    ['src\\win\\a.ts', 'src/win/a.ts'],
    ['file:///elsewhere/a.ts', '/elsewhere/a.ts'],
    ['src/100%.ts', 'src/100%.ts'],
  ])('reads %s as %s', (uri, expected) => {
    expect(normaliseArtifactUri(uri, '/srv/repo')).toBe(expected);
  });

  it.each([
    ['src/a.ts', '/srv/repo', 'src/a.ts'],
    ['src/a.ts', 'src', 'a.ts'],
    ['src/a.ts', '/', 'src/a.ts'],
    ['src/a.ts', '', 'src/a.ts'],
    ['File:///srv/repo/a.ts', '/srv/repo', 'a.ts'],
    ['.hidden/a.ts', '/srv/repo', '.hidden/a.ts'],
    ['./a.ts', '/srv/repo', 'a.ts'],
    ['src/a b.ts', '/srv/repo', 'src/a b.ts'],
  ])(
    'reads %s under the root %s as %s, the fast path and the slow one alike',
    (uri, root, expected) => {
      expect(normaliseArtifactUri(uri, root)).toBe(expected);
      expect(isRepoRelativeUri(uri, root)).toBe(uri === expected);
    },
  );

  it('reads a Windows file URL under a Windows root', () => {
    expect(normaliseArtifactUri('file:///C:/build/repo/src/a.ts', 'C:\\build\\repo')).toBe(
      'src/a.ts',
    );
  });
});
