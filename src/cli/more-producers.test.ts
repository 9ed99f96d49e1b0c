import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliBinary } from '../testing/run-cli-binary.ts';

const producer = (format: string, name: string) =>
  new URL(`../readers/test-results/${format}/__fixtures__/producers/${name}`, import.meta.url);

/** `candor ingest` and `candor flaky` on TRX, NUnit 3, xUnit.net v2 and `go test -json` reports. */
describe('candor on .NET and Go reports', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-producers-'));
    copyFileSync(producer('trx', 'dotnet-test-xunit.trx'), join(dir, 'runner_localhost.trx'));
    copyFileSync(producer('nunit', 'nunit3-console.xml'), join(dir, 'TestResult.xml'));
    copyFileSync(producer('xunit', 'xunit-console.xml'), join(dir, 'xunit.xml'));
    copyFileSync(producer('go-test-json', 'gotestsum-rerun.json'), join(dir, 'go.json'));
    writeFileSync(
      join(dir, 'junit.txt'),
      '<testsuite><testcase classname="c" name="t"/></testsuite>',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (args: string[]) => runCliBinary([...args, '--db', 'candor.db'], { cwd: dir });

  it('detects each format from the content and counts as the fixtures say', async () => {
    const result = await cli([
      'ingest',
      '.',
      '--repo',
      'r',
      '--commit',
      'c1',
      '--branch',
      'main',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const files = (JSON.parse(result.stdout) as { files: Record<string, unknown>[] }).files;
    expect(files.map((f) => [f['path'], f['format'], f['tests'], f['failed'], f['flaky']])).toEqual(
      [
        ['TestResult.xml', 'nunit', 12, 3, 0],
        ['go.json', 'go-test-json', 3, 1, 1],
        ['runner_localhost.trx', 'trx', 10, 3, 0],
        ['xunit.xml', 'xunit', 12, 4, 0],
      ],
    );
  });

  it('finds the test gotestsum reran flaky, with the retry as evidence', async () => {
    const result = await cli(['flaky', '--json']);
    expect(result.code).toBe(0);
    const flaky = (
      JSON.parse(result.stdout) as {
        tests: { key: string; classification: string; signals: string[] }[];
      }
    ).tests.filter((t) => t.classification === 'flaky');
    expect(flaky).toEqual([
      expect.objectContaining({
        name: 'TestSometimes',
        suite: 'example.com/project/flaky',
        signals: ['retry'],
      }),
    ]);
  });

  it('takes --format for each new reader and refuses a report of another format', async () => {
    const trx = await cli([
      'ingest',
      'runner_localhost.trx',
      '--format',
      'trx',
      '--repo',
      'r',
      '--json',
    ]);
    expect(JSON.parse(trx.stdout).files[0]).toMatchObject({
      format: 'trx',
      duplicate: false,
      tests: 10,
    });
    const wrong = await cli(['ingest', 'junit.txt', '--format', 'nunit', '--repo', 'r', '--json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).files[0].errors[0]).toMatchObject({
      message: 'not NUnit 3 XML: expected a <test-run> root element, found <testsuite>',
      line: 1,
    });
    const help = await cli(['ingest', '--help']);
    expect(help.stdout).toMatch(
      /auto\|junit\|ctrf\|go-test-json\|nunit\|trx\|xunit|"go-test-json", "nunit", "trx", "xunit"/,
    );
  });
});
