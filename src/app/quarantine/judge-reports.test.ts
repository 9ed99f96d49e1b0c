import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addToQuarantine } from './add-to-quarantine.ts';
import { judgeReports } from './judge-reports.ts';
import { openQuarantine } from './open-quarantine.ts';

const today = '2026-03-10';

describe('judgeReports', () => {
  let dir: string;
  const judge = (patterns: string[]) =>
    judgeReports({ patterns, cwd: dir, quarantineFile: 'q.yml', format: 'auto', today });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-judge-'));
    addToQuarantine(
      openQuarantine(dir, 'q.yml'),
      { key: 's::flaky one', owner: '@o', reason: 'r', mode: 'run' },
      today,
    );
    writeFileSync(
      join(dir, 'a.xml'),
      '<testsuite name="s"><testcase classname="s" name="flaky one"><failure message="boom"/></testcase><testcase classname="s" name="ok"/></testsuite>',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes when every failure is quarantined', async () => {
    const result = await judge(['a.xml']);
    expect(result).toMatchObject({ outcome: 'pass', matched: 1, unreadable: [] });
    expect(result.judged.forgiven.map((t) => t.key)).toEqual(['s::flaky one']);
  });

  it('fails when a report cannot be read, though every failure read is forgiven', async () => {
    writeFileSync(join(dir, 'broken.xml'), '<testsuite><testcase name="x">');
    const result = await judge(['a.xml', 'broken.xml']);
    expect(result.judged.verdict).toBe('pass');
    expect(result.outcome).toBe('fail');
    expect(result.unreadable).toEqual([
      {
        path: 'broken.xml',
        format: 'junit',
        tests: 0,
        errors: [expect.objectContaining({ line: 1 })],
      },
    ]);
  });

  it('finds no tests when nothing matched, and says how many files did', async () => {
    expect(await judge(['nothing/*.xml'])).toMatchObject({ outcome: 'no-tests', matched: 0 });
  });
});
