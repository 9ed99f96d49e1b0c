import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/open-store.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { hasCoresForParseWorker, ingestReport, type RunRecord } from './ingest-report.ts';
import { bufferSource } from './report-source.ts';

const now = '2026-11-20T12:00:00.000Z';

/**
 * A report of `count` tests `t0…`: `failing(i)` ones fail with a seed recorded, every 7th is
 * skipped, every 5th fails once then passes (a repeated <testcase>), and t0 comes again at the end,
 * after a storage batch of 1,000, failing.
 */
function report(count: number, failing: (i: number) => boolean): string {
  const cases: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `classname="c" name="t${i}" time="0.0${i % 10}"`;
    if (failing(i)) {
      cases.push(
        `<testcase ${name}><properties><property name="seed" value="${i}"/></properties><failure message="boom ${i}"/></testcase>`,
      );
    } else if (i % 7 === 0) cases.push(`<testcase ${name}><skipped/></testcase>`);
    else if (i % 5 === 0) {
      cases.push(`<testcase ${name}><failure message="first try"/></testcase>`);
      cases.push(`<testcase ${name}/>`);
    } else cases.push(`<testcase ${name}/>`);
  }
  cases.push('<testcase classname="c" name="t0"><failure message="again"/></testcase>');
  return `<testsuite name="s">${cases.join('')}</testsuite>`;
}

const runs: { run: RunRecord; xml: string }[] = [
  {
    run: {
      id: 'a',
      repo: 'r',
      startedAt: '2026-11-18T10:00:00.000Z',
      branch: 'main',
      commitSha: 'c1',
      defaultBranch: 'main',
    },
    xml: report(1_200, (i) => i % 11 === 3),
  },
  {
    // The same commit again: what failed passes, some of what passed fails (same-commit evidence).
    run: {
      id: 'b',
      repo: 'r',
      startedAt: '2026-11-18T11:00:00.000Z',
      branch: 'main',
      commitSha: 'c1',
      defaultBranch: 'main',
    },
    xml: report(1_200, (i) => i % 13 === 4),
  },
  {
    run: {
      id: 'c',
      repo: 'r',
      startedAt: '2026-11-19T10:00:00.000Z',
      branch: 'main',
      commitSha: 'c2',
      defaultBranch: 'main',
    },
    xml: report(1_200, () => false),
  },
];

const tables = [
  'test_runs',
  'tests',
  'test_reports',
  'test_executions',
  'test_daily_stats',
  'test_daily_recent',
  'test_daily_recent_days',
  'daily_totals',
  'test_failures',
  'test_flaky_events',
  'test_state',
] as const;

/** Every row of the test tables, report ids replaced by their paths, in a stable order. */
async function dump(store: Store): Promise<Record<string, string[]>> {
  const reports = await store.db.selectFrom('test_reports').select(['id', 'path']).execute();
  const pathOf = new Map(reports.map((r) => [r.id, r.path]));
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = (await store.db.selectFrom(table).selectAll().execute()) as Record<
      string,
      unknown
    >[];
    out[table] = rows
      .map((row) => {
        const copy = { ...row };
        if (table === 'test_reports') copy['id'] = pathOf.get(String(row['id']));
        if ('report_id' in copy) copy['report_id'] = pathOf.get(String(row['report_id']));
        return JSON.stringify(copy, Object.keys(copy).sort());
      })
      .sort();
  }
  return out;
}

describe.each(testDialects)(
  'ingestReport with statements cut small (maxParameters 40) on %s',
  (dialect) => {
    let normal: TestStore;
    let small: TestStore;
    let inWorker: TestStore;
    /** Ingests every run into `store`, parsing on this thread unless told otherwise. */
    const ingestRuns = async (store: Store, parseInWorkerFromBytes = Infinity) => {
      for (const [index, { run, xml }] of runs.entries()) {
        const file = await ingestReport(store, {
          run,
          source: bufferSource(`report-${index}.xml`, Buffer.from(xml)),
          format: 'auto',
          allowEmpty: false,
          now,
          parseInWorkerFromBytes,
        });
        expect(file.errors).toEqual([]);
      }
    };
    beforeAll(async () => {
      normal = await openTestStore(dialect);
      small = await openTestStore(dialect);
      inWorker = await openTestStore(dialect);
      await ingestRuns(normal);
    });
    afterAll(async () => {
      await normal.drop();
      await small.drop();
      await inWorker.drop();
    });

    it('stores what a store with the dialect limit stores, in every table', async () => {
      const cramped: Store = {
        ...small,
        capabilities: { ...small.capabilities, maxParameters: 40 },
      };
      await ingestRuns(cramped);
      const expected = await dump(normal);
      expect(await dump(small)).toEqual(expected);
      // What the comparison covers: merges, failures with properties, both kinds of evidence,
      // state changes and flips.
      const kinds = new Set(
        expected['test_flaky_events']!.map((e) => (JSON.parse(e) as { kind: string }).kind),
      );
      expect([...kinds].sort()).toEqual(['retry', 'same-commit']);
      expect(expected['test_failures']!.some((f) => f.includes('seed'))).toBe(true);
      expect(
        [...expected['test_daily_stats']!, ...expected['test_daily_recent']!].some(
          (s) => !s.includes('"flips":0'),
        ),
      ).toBe(true);
      expect(expected['test_state']!.length).toBeGreaterThan(100);
    });

    it('stores the same rows in every table when the report is parsed in a worker', async () => {
      await ingestRuns(inWorker, 0);
      const expected = await dump(normal);
      expect(expected['test_executions']!.length).toBeGreaterThan(3_000);
      expect(await dump(inWorker)).toEqual(expected);
    });
  },
);

describe('hasCoresForParseWorker', () => {
  it('starts a parse worker only on three cores or more, while two of them are free', () => {
    // Two cores: never, even idle (the worker and the store would take turns, docs/adr/0050).
    expect(hasCoresForParseWorker(0, 2)).toBe(false);
    expect(hasCoresForParseWorker(0.5, 3)).toBe(true);
    expect(hasCoresForParseWorker(1.5, 3)).toBe(false);
    expect(hasCoresForParseWorker(2, 4)).toBe(true);
    expect(hasCoresForParseWorker(2.01, 4)).toBe(false);
  });
});
