import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import {
  generateDemoEvents,
  generateDemoRuns,
  hostileReport,
} from '../../app/demo/demo-reports.ts';
import { ingestReports } from '../../app/tests/ingest-reports.ts';
import { fileSource } from '../../app/tests/report-source.ts';
import { resolveRun } from '../../app/tests/resolve-run.ts';
import { buildFlakyReport } from '../../app/flaky/build-flaky-report.ts';
import { buildDoraReport } from '../../app/delivery/build-dora-report.ts';
import { recordEvents } from '../../app/delivery/record-events.ts';
import { renderDora } from './dora-command.ts';
import { readReportTests } from '../../app/tests/read-report-tests.ts';
import { judgeRun } from '../../core/quarantine/judge-run.ts';
import { addDays, toIsoDate } from '../../core/quarantine/quarantine.ts';
import { openStore, resolveStoreLocation } from '../../store/open-store.ts';
import { findTestHistory, listRuns } from '../../store/repositories/tests/test-result.repository.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { renderTable } from '../render-table.ts';
import { describeFile } from './ingest-command.ts';

export function demoCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('demo')
    .description('ingest a generated week of CI into a throwaway database and show what candor saw')
    .option('--db <path-or-url>', 'database to fill instead of a throwaway SQLite file')
    .option('--runs <n>', 'CI runs to generate', '14')
    .action(async (options: { db?: string; runs: string }) => {
      const out = context.stdout;
      const dir = mkdtempSync(join(tmpdir(), 'candor-demo-'));
      const location = resolveStoreLocation({
        db: options.db ?? join(dir, 'candor.db'),
        env: {},
        cwd: context.cwd,
      });
      const store = await openStore(location);
      try {
        const now = context.now();
        const runs = generateDemoRuns({
          seed: 7,
          start: new Date(now.getTime() - 7 * 86_400_000),
          runs: Math.max(1, Math.min(500, Number(options.runs) || 14)),
        });
        out.write(
          `candor demo: ${runs.length} CI runs of shop/demo, reports written under ${dir}\n\n`,
        );
        for (const [index, demoRun] of runs.entries()) {
          const run = await resolveRun({
            flags: {
              repo: 'shop/demo',
              branch: demoRun.branch,
              commitSha: demoRun.commit,
              startedAt: demoRun.startedAt,
            },
            env: {},
            now: demoRun.startedAt,
          });
          const sources = demoRun.reports.map((report) => {
            const path = join(dir, `run-${index + 1}`, report.name);
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, report.content);
            return fileSource(path, `run-${index + 1}/${report.name}`);
          });
          const summary = await ingestReports(store, {
            run,
            sources: await Promise.all(sources),
            format: 'auto',
            allowEmpty: false,
            now: () => demoRun.startedAt,
          });
          if (index === runs.length - 1) {
            out.write(
              `$ candor ingest run-${index + 1}/ --commit ${demoRun.commit.slice(0, 10)}\n`,
            );
            for (const file of summary.files) out.write(`${describeFile(file)}\n`);
            out.write('\n');
          }
        }

        out.write('$ candor runs\n');
        const stored = await listRuns(store.db, { limit: 50 });
        out.write(
          renderTable(
            ['started', 'commit', 'tests', 'passed', 'failed', 'skipped', 'flaky'],
            stored.map((r) => [
              r.startedAt.slice(0, 16).replace('T', ' '),
              r.commitSha?.slice(0, 10),
              r.tests,
              r.passed,
              r.failed,
              r.skipped,
              r.flaky,
            ]),
          ),
        );
        out.write('\n');
        for (const key of [
          'com.shop.CheckoutTest::appliesCoupon',
          'com.shop.InventoryTest::reservesStock',
        ]) {
          out.write(`$ candor tests show "${key}"\n`);
          const [entry] = await findTestHistory(store.db, { key, limit: 50 });
          if (entry) {
            out.write(
              renderTable(
                ['started', 'commit', 'status', 'attempts', 'first failure'],
                entry.executions.map((e) => {
                  const attempts = e.attempts;
                  return [
                    e.startedAt.slice(0, 16).replace('T', ' '),
                    e.commitSha?.slice(0, 10),
                    e.status,
                    e.attemptCount,
                    attempts.find((a) => a.status === 'failed')?.message?.slice(0, 50),
                  ];
                }),
              ),
            );
          }
          out.write('\n');
        }

        const report = await buildFlakyReport(store, {
          now,
          windowMs: 14 * 86_400_000,
          defaultBranch: 'main',
          maxBudget: 0.005,
          ownersOf: () => [],
        });
        out.write('$ candor flaky\n');
        out.write(
          renderTable(
            ['test', 'class', 'flaky rate', 'runs', 'signals'],
            report.tests
              .filter((t) => t.classification === 'flaky' || t.classification === 'broken')
              .map((t) => [
                t.key,
                t.classification,
                `${(t.flakyRate * 100).toFixed(1)}%`,
                t.executions,
                t.signals.join(', ') || '-',
              ]),
          ),
        );
        const b = report.budget;
        out.write(
          `\n$ candor flaky budget --max 0.5%\nflake budget ${b.overBudget ? 'EXCEEDED' : 'ok'}: ${((b.rate ?? 0) * 100).toFixed(2)}% of ${b.executions} executions were flaky; ${b.testsFlakyAtLeastOnce} of ${b.testsSeen} tests flaky at least once\n\n`,
        );

        const quarantine = [
          {
            key: 'com.shop.CheckoutTest::appliesCoupon',
            owner: '@checkout',
            reason: 'coupon cache race',
            created: toIsoDate(now),
            expires: addDays(toIsoDate(now), 30),
            mode: 'run' as const,
          },
        ];
        const verdictPath = join(dir, 'verdict', 'TEST-com.shop.CheckoutTest.xml');
        mkdirSync(dirname(verdictPath), { recursive: true });
        writeFileSync(
          verdictPath,
          '<testsuite name="com.shop.CheckoutTest"><testcase classname="com.shop.CheckoutTest" name="totalsCart"/><testcase classname="com.shop.CheckoutTest" name="appliesCoupon"><failure message="expected:&lt;90&gt; but was:&lt;100&gt;"/></testcase></testsuite>',
        );
        const read = await readReportTests(
          [{ absolute: verdictPath, display: 'verdict/TEST-com.shop.CheckoutTest.xml' }],
          { format: 'auto' },
        );
        const verdict = judgeRun(read.tests, quarantine, toIsoDate(now));
        out.write(
          `$ candor verdict verdict/   # appliesCoupon is quarantined by @checkout (mode run)\nforgiven: ${verdict.forgiven.map((t) => t.key).join(', ')}\nverdict: ${verdict.verdict} (exit ${verdict.verdict === 'pass' ? 0 : 1})\n\n`,
        );

        const events = generateDemoEvents(runs).map((value) => ({ value }));
        await recordEvents(store, events, { receivedAt: now.toISOString(), atomic: true });
        const dora = await buildDoraReport(store, {
          now,
          windowMs: 30 * 86_400_000,
          environment: 'production',
          incidentWindowMs: 86_400_000,
        });
        out.write(`$ candor dora --window 30d\n${renderDora(dora, false)}\n`);

        const hostilePath = join(dir, hostileReport.name);
        mkdirSync(dirname(hostilePath), { recursive: true });
        writeFileSync(hostilePath, hostileReport.content);
        const last = stored[0];
        const hostile = await ingestReports(store, {
          run: await resolveRun({ flags: { repo: 'shop/demo' }, env: {}, now: now.toISOString() }),
          sources: [await fileSource(hostilePath, hostileReport.name)],
          format: 'auto',
          allowEmpty: false,
          now: () => now.toISOString(),
        });
        out.write(
          `$ candor ingest ${hostileReport.name}   # an XXE attack: refused, nothing stored\n`,
        );
        for (const file of hostile.files) out.write(`${describeFile(file)}\n`);
        out.write(
          `\nflaky: com.shop.CheckoutTest::appliesCoupon passed only after a rerun in some runs;` +
            ` broken: com.shop.InventoryTest::reservesStock has failed on every commit since ${runs[4]?.commit.slice(0, 10) ?? 'the fifth'}.\n` +
            `latest run ${last?.id ?? ''}; database: ${location.kind === 'sqlite' ? location.path : 'as given by --db'}\n`,
        );
      } finally {
        await store.close();
      }
      setExitCode(exitCodes.ok);
    });
}
