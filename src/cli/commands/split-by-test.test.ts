import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

const vitestBin = resolve('node_modules/vitest/vitest.mjs');
const hasPytest = spawnSync('python3', ['-m', 'pytest', '--version']).status === 0;

/** The names of the test cases a JUnit report says ran (not skipped), sorted. */
function ranCases(xml: string): string[] {
  return [...xml.matchAll(/<testcase ([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)]
    .filter(([, , , body]) => !(body ?? '').includes('<skipped'))
    .map(([, attributes]) =>
      /\bname="([^"]*)"/
        .exec(attributes!)![1]!
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    )
    .sort();
}

describe('candor split --by test --format', () => {
  let dir: string;
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-split-by-test-'));
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(
      join(dir, 'a.test.ts'),
      [
        "import { describe, it } from 'vitest';",
        "describe('cart', () => {",
        "  it('adds item', () => {});",
        "  it('adds [red hat] (1+1)? $x', () => {});",
        "  describe('inner', () => { it('x > y', () => {}); });",
        '});',
        "it('top level', () => {});",
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a -t pattern that makes the real Vitest run exactly the shard', async () => {
    const keys = ['a.test.ts::cart > adds [red hat] (1+1)? $x', 'a.test.ts::cart > inner > x > y'];
    const result = await cli([
      'split',
      '--by',
      'test',
      '--shards',
      '1',
      '--index',
      '1',
      '--format',
      'vitest',
      ...keys,
    ]);
    expect(result.code).toBe(0);
    const pattern = result.stdout.trimEnd();
    expect(result.stdout.split('\n')).toHaveLength(2);
    execFileSync(
      process.execPath,
      [vitestBin, 'run', '--root', dir, '-t', pattern, '--reporter=junit', '--outputFile=sel.xml'],
      { cwd: dir, stdio: 'ignore' },
    );
    expect(ranCases(readFileSync(join(dir, 'sel.xml'), 'utf8'))).toEqual([
      'cart > adds [red hat] (1+1)? $x',
      'cart > inner > x > y',
    ]);
  });

  it.runIf(hasPytest)(
    'prints pytest node ids, one per line, that the real pytest runs as given',
    async () => {
      mkdirSync(join(dir, 'tests'), { recursive: true });
      writeFileSync(
        join(dir, 'tests', 'test_q.py'),
        [
          'import pytest',
          "@pytest.mark.parametrize('q', ['red hat', 'blue', '*'])",
          'def test_query(q): pass',
          'def test_other(): pass',
        ].join('\n'),
      );
      const keys = ['tests/test_q.py::test_query[red hat]', 'tests/test_q.py::test_query[*]'];
      const result = await cli([
        'split',
        '--by',
        'test',
        '--shards',
        '1',
        '--index',
        '1',
        '--format',
        'pytest',
        ...keys,
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout.trimEnd().split('\n').sort()).toEqual([...keys].sort());
      // mapfile -t T < <(candor split …); pytest "${T[@]}": one argument per line.
      const ids = result.stdout.trimEnd().split('\n');
      const run = spawnSync(
        'python3',
        ['-m', 'pytest', '-p', 'no:cacheprovider', '-q', '--junitxml=py.xml', ...ids],
        { cwd: dir },
      );
      expect(run.status).toBe(0);
      expect(ranCases(readFileSync(join(dir, 'py.xml'), 'utf8'))).toEqual([
        'test_query[*]',
        'test_query[red hat]',
      ]);
    },
  );

  it('refuses --format without --by test', async () => {
    const result = await cli([
      'split',
      '--shards',
      '1',
      '--index',
      '1',
      '--format',
      'vitest',
      'a.test.ts',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--format vitest prints one shard of test keys: give --by test',
    );
  });
});
