import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { ingestReport, type RunRecord } from './ingest-report.ts';
import { bufferSource } from './report-source.ts';

const producer = (name: string): Buffer =>
  readFileSync(
    new URL(`../../readers/test-results/junit/__fixtures__/producers/${name}`, import.meta.url),
  );

const now = '2026-11-20T12:00:00.000Z';

describe.each(testDialects)('test identity at ingest on %s', (dialect) => {
  let store: TestStore;
  let runs = 0;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.drop();
  });

  /** Ingests one report into a repository of its own and gives the stored tests' keys and statuses. */
  const keysOf = async (body: Buffer | string) => {
    const repo = `identity-${++runs}`;
    const run: RunRecord = { id: `run-${runs}`, repo, startedAt: now, branch: 'main' };
    const file = await ingestReport(store, {
      run,
      source: bufferSource('report.xml', Buffer.isBuffer(body) ? body : Buffer.from(body)),
      format: 'auto',
      allowEmpty: false,
      now,
    });
    expect(file.errors).toEqual([]);
    const rows = await store.db
      .selectFrom('tests as t')
      .innerJoin('test_executions as e', 'e.test_id', 't.id')
      .select(['t.key', 'e.status', 'e.attempt_count'])
      .where('t.repo', '=', repo)
      .execute();
    return {
      file,
      keys: Object.fromEntries(rows.map((r) => [r.key, `${r.status}/${r.attempt_count}`])),
    };
  };

  it('keeps Jest same titles in two files apart: two tests, no false retry (jest-junit addFileAttribute)', async () => {
    const { file, keys } = await keysOf(producer('jest-junit-two-files-file-attr.xml'));
    expect(file).toMatchObject({ tests: 4, passed: 3, failed: 1, flaky: 0, testCases: 4 });
    expect(keys).toEqual({
      'tests/legacy/cart.test.js::cart adds an item': 'failed/1',
      'tests/cart/cart.test.js::cart adds an item': 'passed/1',
      'tests/cart/cart.test.js::cart rounds': 'passed/1',
      'tests/cart/cart.test.js::cart rounds #2': 'passed/1',
    });
  });

  it('never makes a pass and a later failure of equal titles one flaky test (jest-junit without files)', async () => {
    const { file, keys } = await keysOf(producer('jest-junit-two-files.xml'));
    expect(file).toMatchObject({ tests: 4, passed: 3, failed: 1, flaky: 0 });
    expect(keys).toEqual({
      'cart adds an item': 'passed/1',
      'cart adds an item #2': 'failed/1',
      'cart rounds': 'passed/1',
      'cart rounds #2': 'passed/1',
    });
  });

  it("keeps Node 20's node --test cases apart (classname `test`, no file)", async () => {
    const { file, keys } = await keysOf(producer('node20-two-files.xml'));
    expect(file).toMatchObject({ tests: 4, passed: 3, failed: 1, flaky: 0 });
    expect(keys).toEqual({
      'test::adds': 'passed/1',
      'test::adds #2': 'failed/1',
      'math::adds': 'passed/1',
      'math::adds #2': 'passed/1',
    });
  });

  it('gives each nameless case its own identity', async () => {
    const cases = '<testcase classname="c.D" name=""><failure/></testcase>'.repeat(3);
    const { file, keys } = await keysOf(
      `<testsuite>${cases}<testcase classname="c.D"/></testsuite>`,
    );
    expect(file).toMatchObject({ tests: 4, failed: 3, passed: 1, flaky: 0 });
    expect(Object.keys(keys).sort()).toEqual([
      'c.D::(unnamed)',
      'c.D::(unnamed) #2',
      'c.D::(unnamed) #3',
      'c.D::(unnamed) #4',
    ]);
  });

  it('still merges a rerun after a failure, and numbers an equal title after a pass, across storage batches', async () => {
    const filler = Array.from(
      { length: 1_200 },
      (_, i) => `<testcase classname="p.Q" name="t${i}"/>`,
    ).join('');
    const { file, keys } = await keysOf(
      `<testsuite><testcase classname="p.Q" name="rerun"><failure/></testcase><testcase classname="p.Q" name="each"/>${filler}<testcase classname="p.Q" name="rerun"/><testcase classname="p.Q" name="each"/><testcase classname="p.Q" name="each"><failure/></testcase></testsuite>`,
    );
    expect(file).toMatchObject({ tests: 1_204, flaky: 1, failed: 1, testCases: 1_205 });
    expect(keys['p.Q::rerun']).toBe('flaky/2');
    expect(keys['p.Q::each']).toBe('passed/1');
    expect(keys['p.Q::each #2']).toBe('passed/1');
    expect(keys['p.Q::each #3']).toBe('failed/1');
  });
});
