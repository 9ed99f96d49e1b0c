import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { generateDemoRuns, hostileReport } from '../../app/demo/demo-reports.ts';
import { ingestReports } from '../../app/ingest-reports.ts';
import { fileSource } from '../../app/report-source.ts';
import { resolveRun } from '../../app/resolve-run.ts';
import { openStore, resolveStoreLocation } from '../../store/open-store.ts';
import { findTestHistory, listRuns } from '../../store/test-result.repository.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { renderTable } from '../render-table.ts';
import { describeFile } from './ingest-command.ts';

export function demoCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('demo')
    .description('ingest a generated week of CI into a throwaway database and show what candor saw')
    .option('--db <path-or-url>', 'database to fill instead of a throwaway SQLite file')
    .option('--runs <n>', 'CI runs to generate', '8')
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
          runs: Math.max(1, Math.min(500, Number(options.runs) || 8)),
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
              r.started_at.slice(0, 16).replace('T', ' '),
              r.commit_sha?.slice(0, 10),
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
                    e.started_at.slice(0, 16).replace('T', ' '),
                    e.commit_sha?.slice(0, 10),
                    e.status,
                    e.attempt_count,
                    attempts.find((a) => a.status === 'failed')?.message?.slice(0, 50),
                  ];
                }),
              ),
            );
          }
          out.write('\n');
        }

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
