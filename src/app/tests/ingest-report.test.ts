import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/lib/seeded-random.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import {
  findTestHistory,
  listRuns,
} from '../../store/repositories/tests/test-result.repository.ts';
import { ingestReport, type RunRecord } from './ingest-report.ts';
import { bufferSource } from './report-source.ts';
import { reportFormats } from '../../readers/test-results/test-result-readers.ts';

const edge = (format: 'junit' | 'ctrf', name: string): Buffer =>
  readFileSync(
    new URL(`../../readers/test-results/${format}/__fixtures__/edge/${name}`, import.meta.url),
  );

const now = '2026-11-20T12:00:00.000Z';
let runCounter = 0;
const newRun = (extra: Partial<RunRecord> = {}): RunRecord => ({
  id: `run-${++runCounter}`,
  repo: 'acme/shop',
  startedAt: now,
  branch: 'main',
  commitSha: 'abc123',
  ...extra,
});

async function tableCounts(store: TestStore) {
  const count = async (table: 'test_runs' | 'tests' | 'test_reports' | 'test_executions') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    runs: await count('test_runs'),
    tests: await count('tests'),
    reports: await count('test_reports'),
    executions: await count('test_executions'),
  };
}

describe.each(testDialects)('ingestReport on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.drop();
  });

  const ingest = (run: RunRecord, name: string, body: Buffer | string, allowEmpty = false) =>
    ingestReport(store, {
      run,
      source: bufferSource(name, Buffer.isBuffer(body) ? body : Buffer.from(body)),
      format: 'auto',
      allowEmpty,
      now,
    });

  it('stores Surefire reruns with one final status per test', async () => {
    const file = await ingest(newRun(), 'surefire.xml', edge('junit', 'surefire-reruns.xml'));
    expect(file).toMatchObject({
      format: 'junit',
      tests: 4,
      passed: 1,
      failed: 2,
      skipped: 0,
      flaky: 1,
      errors: [],
      duplicate: false,
    });
  });

  it('merges repeated <testcase> elements of one identity into attempts', async () => {
    const run = newRun();
    const file = await ingest(run, 'repeated.xml', edge('junit', 'repeated-testcases.xml'));
    expect(file).toMatchObject({ tests: 3, passed: 1, failed: 1, flaky: 1, testCases: 5 });
    const [history] = await findTestHistory(store.db, {
      key: 'example.com/pkg::TestBroken',
      limit: 10,
    });
    const execution = history?.executions.find((e) => e.runId === run.id);
    expect(execution).toMatchObject({ status: 'failed', attemptCount: 2, failedAttempts: 2 });
    expect(execution!.attempts.map((a) => a.failureKind)).toEqual(['failure', 'error']);
  });

  it('merges a repeated identity across storage batches', async () => {
    const cases = Array.from(
      { length: 2_500 },
      (_, i) => `<testcase classname="big" name="t${i}" time="0.001"/>`,
    );
    const xml = `<testsuite><testcase classname="big" name="t0"><failure message="first try"/></testcase>${cases.join('')}</testsuite>`;
    const file = await ingest(newRun(), 'big.xml', xml);
    expect(file).toMatchObject({ tests: 2_500, passed: 2_499, flaky: 1, testCases: 2_501 });
  });

  it('stores the same report in the same run once', async () => {
    const run = newRun();
    const first = await ingest(run, 'a.xml', edge('junit', 'surefire-reruns.xml'));
    const before = await tableCounts(store);
    const second = await ingest(run, 'again.xml', edge('junit', 'surefire-reruns.xml'));
    expect(second).toMatchObject({ duplicate: true, tests: first.tests, flaky: first.flaky });
    expect(await tableCounts(store)).toEqual(before);
  });

  it.each([
    ['xxe.xml', 'junit'],
    ['billion-laughs.xml', 'junit'],
    ['truncated.xml', 'junit'],
    ['not-junit.html', 'junit'],
    ['invalid-status.json', 'ctrf'],
  ] as const)('stores nothing for a rejected report (%s)', async (name, format) => {
    const before = await tableCounts(store);
    const file = await ingest(newRun(), name, edge(format, name));
    expect(file.errors.length).toBeGreaterThan(0);
    expect(file).toMatchObject({ tests: 0, passed: 0, failed: 0, skipped: 0, flaky: 0 });
    expect(await tableCounts(store)).toEqual(before);
  });

  it('rejects a truncated report after some tests were already written, leaving nothing', async () => {
    const cases = Array.from(
      { length: 3_000 },
      (_, i) => `<testcase classname="cut" name="t${i}"/>`,
    ).join('\n');
    const before = await tableCounts(store);
    const file = await ingest(
      newRun(),
      'cut.xml',
      `<testsuite>\n${cases}\n<testcase classname="cut" name="last">`,
    );
    expect(file.errors[0]).toMatchObject({ line: 3_002 });
    expect(await tableCounts(store)).toEqual(before);
  });

  it('rejects a CTRF report whose last test is invalid after thousands were written, leaving nothing', async () => {
    const tests = Array.from({ length: 3_000 }, (_, i) => ({
      name: `t${i}`,
      status: 'passed',
      duration: 1,
    }));
    const before = await tableCounts(store);
    for (const [name, body] of [
      [
        'late.json',
        JSON.stringify({ results: { tool: { name: 'x' }, tests: [...tests, { name: 'bad' }] } }),
      ],
      ['cut.json', JSON.stringify({ results: { tool: { name: 'x' }, tests } }).slice(0, -3)],
      ['no-tool.json', JSON.stringify({ results: { tests } })],
    ] as const) {
      const file = await ingest(newRun(), name, body);
      expect(file).toMatchObject({ format: 'ctrf', tests: 0, testCases: 0 });
      expect(file.errors.length).toBeGreaterThan(0);
    }
    expect(await tableCounts(store)).toEqual(before);
  });

  it('stores a 10,000-test CTRF report streamed in batches', async () => {
    const tests = Array.from({ length: 10_000 }, (_, i) => ({
      name: `t${i}`,
      status: i % 100 === 0 ? 'failed' : 'passed',
      duration: i,
      filePath: `f${i % 7}.ts`,
    }));
    const file = await ingest(
      newRun(),
      'big.json',
      JSON.stringify({ results: { tool: { name: 'x' }, tests } }),
    );
    expect(file).toMatchObject({
      errors: [],
      tests: 10_000,
      failed: 100,
      passed: 9_900,
      testCases: 10_000,
    });
  });

  it('stores names in the encoding the report declares or is written in', async () => {
    const latin1 = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?>\n<testsuite name="s"><testcase classname="latin" name="café"/></testsuite>',
      'latin1',
    );
    const utf16 = Buffer.from(
      '\uFEFF<testsuite name="s"><testcase classname="utf16" name="naïve ✓"/></testsuite>',
      'utf16le',
    );
    expect(await ingest(newRun(), 'latin1.xml', latin1)).toMatchObject({ errors: [], tests: 1 });
    expect(await ingest(newRun(), 'utf16.xml', utf16)).toMatchObject({ errors: [], tests: 1 });
    const keys = await store.db
      .selectFrom('tests')
      .select('key')
      .where('key', 'in', ['latin::café', 'utf16::naïve ✓'])
      .orderBy('key')
      .execute();
    expect(keys.map((k) => k.key)).toEqual(['latin::café', 'utf16::naïve ✓']);
  });

  it('refuses invalid UTF-8 after thousands of tests were written, naming where, storing nothing', async () => {
    const cases = Array.from(
      { length: 3_000 },
      (_, i) => `<testcase classname="enc" name="t${i}"/>`,
    );
    const head = `<testsuite>\n${cases.join('\n')}\n<testcase classname="enc" name="caf`;
    const body = Buffer.concat([
      Buffer.from(head),
      Buffer.from([0xe9]),
      Buffer.from('"/>\n</testsuite>'),
    ]);
    const before = await tableCounts(store);
    const file = await ingest(newRun(), 'bad-bytes.xml', body);
    expect(file.errors).toEqual([
      {
        message: expect.stringContaining(
          `invalid UTF-8 at byte ${Buffer.byteLength(head)}: bytes E9 22`,
        ),
        line: 3_002,
        column: head.length - head.lastIndexOf('\n'),
      },
    ]);
    expect(await tableCounts(store)).toEqual(before);
  });

  it('stores names far longer than the cap as distinct tests whose keys fit an index', async () => {
    // Incompressible text: PostgreSQL refuses b-tree entries over 2,704 bytes.
    const random = seededRandom(11);
    const letters = Array.from({ length: 30_000 }, () =>
      String.fromCharCode(97 + Math.floor(random() * 26)),
    ).join('');
    const xml = `<testsuite><testcase classname="${letters}" name="${letters}1"/><testcase classname="${letters}" name="${letters}2"/></testsuite>`;
    const file = await ingest(newRun(), 'long-names.xml', xml);
    expect(file).toMatchObject({ errors: [], tests: 2 });
    const rows = await store.db
      .selectFrom('tests')
      .select(['key', 'name'])
      .where('name', 'like', `${letters.slice(0, 100)}%`)
      .execute();
    expect(new Set(rows.map((r) => r.name)).size).toBe(2);
    for (const row of rows) expect(Buffer.byteLength(row.key)).toBeLessThanOrEqual(2_100);
  });

  it('rejects a report with zero test cases unless empty reports are allowed', async () => {
    const run = newRun();
    const rejected = await ingest(run, 'empty.xml', edge('junit', 'empty-suites.xml'));
    expect(rejected.errors[0]?.message).toMatch(/no test cases/);
    const allowed = await ingest(run, 'empty.xml', edge('junit', 'empty-suites.xml'), true);
    expect(allowed).toMatchObject({ errors: [], tests: 0 });
  });

  it('keeps the properties of failing tests (a seed) for hints', async () => {
    await ingest(
      newRun(),
      'seeded.xml',
      '<testsuite><testcase classname="seeded" name="t"><properties><property name="seed" value="42"/></properties><failure/></testcase><testcase classname="seeded" name="ok"><properties><property name="seed" value="42"/></properties></testcase></testsuite>',
    );
    const rows = await store.db
      .selectFrom('test_failures')
      .select(['properties'])
      .where('message', 'is', null)
      .execute();
    expect(rows.map((r) => r.properties)).toContain('{"seed":"42"}');
    const passing = await store.db
      .selectFrom('test_executions')
      .select('properties')
      .where('status', '=', 'passed')
      .where('properties', 'is not', null)
      .execute();
    expect(passing).toEqual([]);
  });

  it('rejects content that is neither XML nor JSON', async () => {
    const file = await ingest(newRun(), 'notes.txt', 'all tests passed, trust me');
    expect(file).toMatchObject({ format: null, errors: [{ line: 1, column: 1 }] });
  });

  it('suffixes keys with the run variant and finds every variant of a key', async () => {
    await ingest(newRun({ variant: 'linux' }), 'v.xml', edge('junit', 'testng-retry.xml'));
    await ingest(newRun({ variant: 'windows' }), 'v.xml', edge('junit', 'testng-retry.xml'));
    const exact = await findTestHistory(store.db, {
      key: 'org.acme.RetryTest::retriedThenPassed [linux]',
      limit: 5,
    });
    expect(exact.map((h) => h.test.key)).toEqual(['org.acme.RetryTest::retriedThenPassed [linux]']);
    const all = await findTestHistory(store.db, {
      key: 'org.acme.RetryTest::retriedThenPassed',
      limit: 5,
    });
    expect(all.map((h) => h.test.variant)).toEqual(['linux', 'windows']);
    expect(all[0]?.executions[0]?.status).toBe('passed');
  });

  it('combines one test seen in several reports of a run when listing runs', async () => {
    const run = newRun({ startedAt: '2030-01-01T00:00:00.000Z' });
    await ingest(
      run,
      'shard-1.xml',
      '<testsuite><testcase classname="s" name="a"><failure/></testcase><testcase classname="s" name="b"/></testsuite>',
    );
    await ingest(
      run,
      'shard-2.xml',
      '<testsuite><testcase classname="s" name="a"/><testcase classname="s" name="c"><skipped/></testcase></testsuite>',
    );
    const [latest] = await listRuns(store.db, { limit: 1 });
    expect(latest).toMatchObject({
      id: run.id,
      reports: 2,
      tests: 3,
      passed: 1,
      failed: 0,
      skipped: 1,
      flaky: 1,
    });
  });
});

describe("ingestReport on real producers' reports", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
  });
  afterAll(async () => {
    await store.drop();
  });

  const producerFiles = reportFormats.flatMap((format) => {
    const dir = new URL(
      `../../readers/test-results/${format}/__fixtures__/producers/`,
      import.meta.url,
    );
    if (!existsSync(dir)) return [];
    const names = readdirSync(dir);
    return names
      .filter((name) => name.endsWith('.expected.json'))
      .map((name) => {
        const base = name.replace(/\.expected\.json$/, '');
        const report = names.find(
          (n) => n !== name && n.startsWith(`${base}.`) && /^\.[a-z]+$/.test(n.slice(base.length)),
        );
        return [format, report ?? base, dir] as const;
      });
  });

  it('has fixtures from real producers', () => {
    expect(producerFiles.length).toBeGreaterThan(0);
  });

  it.each(producerFiles)('%s %s gives the expected counts', async (_format, name, dir) => {
    const expected = JSON.parse(
      readFileSync(new URL(`${name.replace(/\.[a-z]+$/, '')}.expected.json`, dir), 'utf8'),
    );
    const file = await ingestReport(store, {
      run: newRun(),
      source: bufferSource(name, readFileSync(new URL(name, dir))),
      format: 'auto',
      allowEmpty: false,
      now,
    });
    expect(file.errors).toEqual([]);
    expect({
      tests: file.tests,
      passed: file.passed,
      failed: file.failed,
      skipped: file.skipped,
      flaky: file.flaky,
    }).toEqual(expected);
  });
});
