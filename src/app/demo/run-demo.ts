import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  defaultFlakyQuery,
  DoraQuery,
  RunsQuery,
  TestHistoryQuery,
} from '../../contracts/queries.ts';
import type { RunList } from '../../contracts/runs.ts';
import type { TestHistory } from '../../contracts/test-history.ts';
import type { DoraReport } from '../../core/delivery/dora/compute-dora.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { toIsoDate } from '../../core/lib/time.ts';
import { openStore, resolveStoreLocation, type StoreLocation } from '../../store/open-store.ts';
import { buildDoraReport } from '../delivery/build-dora-report.ts';
import { recordEvents } from '../delivery/record-events.ts';
import { analyzeFlakyTests, type FlakyAnalysis } from '../flaky/build-flaky-report.ts';
import { addToQuarantine } from '../quarantine/add-to-quarantine.ts';
import { judgeReports, type ReportsVerdict } from '../quarantine/judge-reports.ts';
import { openQuarantine } from '../quarantine/open-quarantine.ts';
import { defaultQuarantinePath } from '../quarantine/quarantine-store.ts';
import { ingestReports, type IngestSummary } from '../tests/ingest-reports.ts';
import { listRuns } from '../tests/list-runs.ts';
import { loadTestHistory } from '../tests/load-test-history.ts';
import { fileSource } from '../tests/report-source.ts';
import { resolveRun } from '../tests/resolve-run.ts';
import { loadCandorConfig } from '../config/load-candor-config.ts';
import { runGate, type GateRun } from '../gates/run-gate.ts';
import { demoChecklists, demoGateEvents, demoGateFiles } from './demo-gates.ts';
import { generateDemoEvents, generateDemoRuns, hostileReport } from './demo-reports.ts';

/** The most runs `candor demo --runs` generates. */
export const maxDemoRuns = 500;

/** The repository the demo's runs belong to. */
export const demoRepo = 'shop/demo';
/** The tests the demo shows the history of: the flaky one, then the broken one. */
export const demoTests = [
  'com.shop.CheckoutTest::appliesCoupon',
  'com.shop.InventoryTest::reservesStock',
] as const;

/** What the demo did, step by step, in the values the real commands print. */
export type DemoResult = {
  /** Where the generated reports were written. */
  directory: string;
  location: StoreLocation;
  runs: number;
  /** The ingest of the last run, as `candor ingest <dir>/ --commit <sha>`. */
  lastIngest: { directory: string; commit: string; summary: IngestSummary };
  runList: RunList;
  histories: { key: string; history: TestHistory }[];
  flaky: FlakyAnalysis;
  verdict: {
    /** The report directory judged, relative to `directory`. */
    reports: string;
    quarantined: { key: string; owner: string; mode: string };
    result: ReportsVerdict;
  };
  /** The seed's four checklists of the demo's `candor.yml`, run as `candor gate <name>`. */
  gates: GateRun[];
  dora: DoraReport;
  /** The hostile report, refused. */
  hostile: { path: string; summary: IngestSummary };
  /** The commit from which the broken test fails on every run. */
  brokenSince: string | undefined;
  latestRun: string | undefined;
};

/**
 * `candor demo`: generates a week of CI for a small shop (`runs` runs, clamped to 1…500, seeded,
 * ending at `now`), writes the reports under a new directory of the system temp directory,
 * ingests them into `db` (default: a throwaway SQLite file there; the environment's database is
 * never used; the directory is removed before it returns, `db` kept), records delivery events for them, and gathers what the real commands would show:
 * runs, two test histories, the flaky analysis (defaults of `candor flaky`), a verdict that
 * forgives a quarantined failure, the seed's four checklists (`change` blocks a new SQL injection
 * finding), DORA metrics, and an XXE report refused. Throws CandorError
 * `database` when the store fails.
 */
export async function runDemo(options: {
  db?: string | undefined;
  cwd: string;
  now: Date;
  runs: number;
}): Promise<DemoResult> {
  const { now } = options;
  const directory = mkdtempSync(join(tmpdir(), 'candor-demo-'));
  const location = resolveStoreLocation({
    db: options.db ?? join(directory, 'candor.db'),
    env: {},
    cwd: options.cwd,
  });
  const write = (path: string, content: string): string => {
    const absolute = join(directory, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
    return absolute;
  };
  const store = await openStore(location);
  try {
    const runs = generateDemoRuns({
      seed: 7,
      start: new Date(now.getTime() - 7 * 86_400_000),
      runs: Math.max(1, Math.min(maxDemoRuns, options.runs)),
    });
    let lastIngest: DemoResult['lastIngest'] | undefined;
    for (const [index, demoRun] of runs.entries()) {
      const run = await resolveRun({
        flags: {
          repo: demoRepo,
          branch: demoRun.branch,
          commitSha: demoRun.commit,
          startedAt: demoRun.startedAt,
        },
        env: {},
        now: demoRun.startedAt,
      });
      const runDirectory = `run-${index + 1}`;
      const sources = await Promise.all(
        demoRun.reports.map((report) =>
          fileSource(
            write(join(runDirectory, report.name), report.content),
            `${runDirectory}/${report.name}`,
          ),
        ),
      );
      const summary = await ingestReports(store, {
        run,
        sources,
        format: 'auto',
        allowEmpty: false,
        now: () => demoRun.startedAt,
      });
      lastIngest = { directory: `${runDirectory}/`, commit: demoRun.commit, summary };
    }
    if (lastIngest === undefined) throw new CandorError('internal', 'the demo generated no run');

    const runList = await listRuns(store, RunsQuery.parse({}));
    const histories: DemoResult['histories'] = [];
    for (const key of demoTests)
      histories.push({
        key,
        history: await loadTestHistory(store, TestHistoryQuery.parse({ key })),
      });

    const flaky = await analyzeFlakyTests(store, { ...defaultFlakyQuery, now, ownersOf: () => [] });

    const today = toIsoDate(now);
    const quarantined = { key: demoTests[0], owner: '@checkout', mode: 'run' as const };
    const added = addToQuarantine(
      openQuarantine(directory, defaultQuarantinePath),
      { ...quarantined, reason: 'coupon cache race' },
      today,
    );
    if (!added.ok) throw new CandorError('internal', 'the demo quarantine entry is invalid');
    write(
      'verdict/TEST-com.shop.CheckoutTest.xml',
      '<testsuite name="com.shop.CheckoutTest"><testcase classname="com.shop.CheckoutTest" name="totalsCart"/><testcase classname="com.shop.CheckoutTest" name="appliesCoupon"><failure message="expected:&lt;90&gt; but was:&lt;100&gt;"/></testcase></testsuite>',
    );
    const verdict = await judgeReports({
      patterns: ['verdict/'],
      cwd: directory,
      quarantineFile: defaultQuarantinePath,
      format: 'auto',
      today,
    });

    const rolledBack = runs[4];
    const events = [
      ...generateDemoEvents(runs),
      ...(rolledBack === undefined
        ? []
        : demoGateEvents({
            now,
            deployment: 'deploy-5',
            commit: rolledBack.commit,
            deployStartedAt: new Date(Date.parse(rolledBack.startedAt) + 20 * 60_000).toISOString(),
            recoveredAt: new Date(Date.parse(rolledBack.startedAt) + 58 * 60_000).toISOString(),
          })),
    ].map((value) => ({ value }));
    await recordEvents(store, events, { receivedAt: now.toISOString(), atomic: true });

    for (const [path, content] of Object.entries(demoGateFiles(now))) write(path, content);
    const loaded = loadCandorConfig({ cwd: directory, path: 'candor.yml' });
    if (!loaded.ok) throw new CandorError('internal', 'the demo candor.yml is invalid');
    const gates: GateRun[] = [];
    for (const checklist of demoChecklists)
      gates.push(
        await runGate({
          root: directory,
          config: loaded.value.config,
          configPath: 'candor.yml',
          checklist,
          now,
          service: 'shop',
          commit: lastIngest.commit,
          record: true,
          store: () => Promise.resolve(store),
        }),
      );
    const dora = await buildDoraReport(store, { ...DoraQuery.parse({}), now });

    const hostile = await ingestReports(store, {
      run: await resolveRun({ flags: { repo: demoRepo }, env: {}, now: now.toISOString() }),
      sources: [
        await fileSource(write(hostileReport.name, hostileReport.content), hostileReport.name),
      ],
      format: 'auto',
      allowEmpty: false,
      now: () => now.toISOString(),
    });

    return {
      directory,
      location,
      runs: runs.length,
      lastIngest,
      runList,
      histories,
      flaky,
      verdict: { reports: 'verdict/', quarantined, result: verdict },
      gates,
      dora,
      hostile: { path: hostileReport.name, summary: hostile },
      brokenSince: runs[4]?.commit,
      latestRun: runList.runs[0]?.id,
    };
  } finally {
    await store.close();
    // The reports, and the throwaway database unless --db named one, go with the directory.
    rmSync(directory, { recursive: true, force: true });
  }
}
