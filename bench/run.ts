// npm run bench [-- --gb 1] : ingest throughput and memory, each next to a baseline run here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { hasCoresForParseWorker, ingestReport } from '../src/app/tests/ingest-report.ts';
import { bufferSource } from '../src/app/tests/report-source.ts';
import { readText } from '../src/testing/read-text.ts';
import { testResultReaders } from '../src/readers/test-results/test-result-readers.ts';
import { openTestStore, type TestDialect, type TestStore } from '../src/testing/open-test-store.ts';
import { onOneConnection, plainInsertLimit, type Timing } from './ingest-limit.ts';
import { writeCtrf } from './generate-ctrf.ts';
import { generateJunit, writeJunitOfSize } from './generate-junit.ts';
import { generateFlakyHistory } from './flaky-history.ts';
import { sql } from 'kysely';
import { buildFlakyReport } from '../src/app/flaky/build-flaky-report.ts';
import { referenceBuildFlakyReport } from '../src/testing/reference-build-flaky-report.ts';
import { buildDoraReport } from '../src/app/delivery/build-dora-report.ts';
import { createApiToken } from '../src/app/tokens/api-tokens.ts';
import { buildServer } from '../src/server/build-server.ts';
import { seededRandom } from '../src/core/lib/seeded-random.ts';
import { splitUnits } from '../src/core/sharding/split-units.ts';
import { benchReadPaths } from './read-paths.ts';
import { benchCanary } from './canary.ts';
import { benchEvidence } from './evidence.ts';
import { benchWatch } from './watch.ts';
import { benchDeliveryProjections } from './delivery-projections.ts';
import { benchDeliveryDora } from './delivery-dora.ts';
import { benchGateCoverage } from './gate-coverage.ts';
import { benchGateChange, bin, measure, publishedLauncher } from './gate-change.ts';
import { benchDashboard } from './dashboard.ts';
import { benchSteadyState } from './steady-state.ts';

const run = promisify(execFile);
/** The V8 flags the `candor` executable runs with (its shebang), so children measure the same. */
const cliFlags = (
  readFileSync(join(import.meta.dirname, '..', 'bin', 'candor.js'), 'utf8').split('\n')[0] ?? ''
)
  .split(/\s+/)
  .filter((part) => part.startsWith('--'));
const args = process.argv.slice(2);
const gb = args.includes('--gb') ? Number(args[args.indexOf('--gb') + 1]) || 1 : 1;
/**
 * `--only a,c` runs some parts: (a) one big report, (b) many small ones, (c) memory, (d) flaky
 * report and budget over a large history (`--executions N`, default 10M), (e) shard balance,
 * (f) delivery events through the HTTP API and `candor dora` over them (`--events N`, default 1M),
 * (g) every read path at 10x the sizes that crashed it, with peak RSS (`--scale F`, default 1).
 * (h) a 60 MB CTRF report (`--ctrf-tests N`, default 1,255,406) under the executable's heap flags.
 * (s) the same big report into a store holding a month of it (`--history-days N`, default 30;
 *     `--dialects sqlite`): the first ingest of a day and a later one.
 * (i) the canary judge: A/A false alarms, power, 50 metrics × 10,000 points (`--canary-runs N`).
 * (p) delivery projections: events stored with them, a /metrics scrape, `candor dora`, a rebuild,
 * on SQLite and PostgreSQL (`--events N`, default 1M; `--dialects sqlite`).
 * (w) the watch's drift detector: false alarms per 30 service-days against naive Mann-Kendall,
 * the delay to find a leak, one evaluation of 50 metrics (`--watches N`, default 600).
 * (k) evidence gates: a 50 MB SARIF, a 20k-component SBOM, a 5k-vulnerability Trivy report, read
 *     streamed next to JSON.parse of the whole file, and `candor gate` over them.
 * (l) `candor gate` over a ~100 MB LCOV next to reading it whole (`--lcov-files N`, default 20,000).
 * (m) `candor dora` over a cached ledger (`--events N`, default 1M; made once under the temp dir),
 *     in process and as a cold CLI, and events stored with their projections next to a plain
 *     insert (`--store-events N`, default 20,000; `--dialects sqlite`).
 * (q) the `change` checklist of issue 13 at its sizes (50 MB SARIF + baseline, 100 MB LCOV, 20k
 *     SBOM, 5k Trivy) by the binary, wall and CPU time and peak RSS, next to reading them whole.
 * (x) the dashboard: its API calls and the page in headless Chromium over 1M ledger events and
 *     10M test executions (SQLite, cached under the temp directory; `CANDOR_BENCH_DASHBOARD_SCALE`).
 */
const only = args.includes('--only')
  ? (args[args.indexOf('--only') + 1] ?? '').split(',')
  : ['a', 's', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'p', 'w', 'k', 'l', 'm', 'q', 'x'];
const scale = args.includes('--scale') ? Number(args[args.indexOf('--scale') + 1]) || 1 : 1;
const ledgerEvents = args.includes('--events')
  ? Number(args[args.indexOf('--events') + 1])
  : 1_000_000;
const flakyExecutions = args.includes('--executions')
  ? Number(args[args.indexOf('--executions') + 1])
  : 10_000_000;
const ctrfTests = args.includes('--ctrf-tests')
  ? Number(args[args.indexOf('--ctrf-tests') + 1])
  : 1_255_406;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const line = (label: string, value: string) => console.log(`  ${label.padEnd(46)} ${value}`);

async function time<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1_000 };
}

console.log(`candor bench: ${cpus().length} cores, node ${process.version}`);
// In-process measurements must see the heap the shipped binary has (`npm run bench` passes it).
const missing = cliFlags.filter((flag) => !process.execArgv.includes(flag));
console.log(
  missing.length === 0
    ? `runs with the launcher's flags: ${cliFlags.join(' ')}\n`
    : `WARNING: not run with the launcher's flags (${missing.join(' ')} missing): use npm run bench\n`,
);

if (only.includes('a')) {
  // (a) one report with 100k test cases
  const bigText = [...generateJunit({ testCases: 100_000, outputChars: 400 })].join('');
  const big = Buffer.from(bigText);
  console.log(`(a) one report, 100,000 test cases (${fmt(big.length / 1e6, 1)} MB)`);
  const baseline = await time(
    async () =>
      new XMLParser({ ignoreAttributes: false, processEntities: false }).parse(bigText) as unknown,
  );
  const baselineRate = 100_000 / baseline.seconds;
  line(
    'baseline: fast-xml-parser, whole text, parse only',
    `${fmt(baseline.seconds, 2)} s, ${fmt(baselineRate)} cases/s`,
  );
  const parseOnly = await time(() => readText(testResultReaders.junit, bigText));
  line(
    'candor reader, streaming, parse only',
    `${fmt(parseOnly.seconds, 2)} s, ${fmt(100_000 / parseOnly.seconds)} cases/s (${fmt(baseline.seconds / parseOnly.seconds, 2)}x baseline)`,
  );
  const ingestRates: Record<TestDialect, Timing> = {
    sqlite: { seconds: Infinity, cpuSeconds: Infinity, serverCpuSeconds: 0 },
    postgres: { seconds: Infinity, cpuSeconds: Infinity, serverCpuSeconds: 0 },
  };
  const ingestKnownRates: Record<TestDialect, Timing> = { ...ingestRates };
  const limitRates: Record<TestDialect, Timing> = { ...ingestRates };
  // Wall time next to CPU time (the machine may be shared: CPU is the fair figure), this
  // process's plus, on PostgreSQL, its backend's (when the server runs here), and both against
  // the limit: the same rows inserted plainly (bench/ingest-limit.ts).
  const cpu = (t: Timing) => t.cpuSeconds + t.serverCpuSeconds;
  const timing = (t: Timing, cases = 100_000) =>
    `${fmt(t.seconds, 2)} s (${fmt(cases / t.seconds)}/s), CPU ${fmt(cpu(t), 2)} s (${fmt(cases / cpu(t))}/s)` +
    (t.serverCpuSeconds > 0
      ? ` = ${fmt(t.cpuSeconds, 2)} + server ${fmt(t.serverCpuSeconds, 2)}`
      : '');
  const ingestBig = (store: TestStore, runId: string) =>
    onOneConnection(store, (pinned) =>
      ingestReport(pinned, {
        run: { id: runId, repo: 'bench', startedAt: new Date().toISOString() },
        source: bufferSource('big.xml', big),
        format: 'junit',
        allowEmpty: false,
        now: new Date().toISOString(),
      }),
    );
  // Ingest parses in a worker only on 3+ cores while two are free (docs/adr/0050): say which it was.
  line(
    'parse in a worker (3+ cores, 2 free?)',
    `${hasCoresForParseWorker() ? 'yes' : 'no'} at the start, load average ${fmt(loadavg()[0] ?? 0, 2)}`,
  );
  // Each dialect's pair (new tests, then the same suite again) runs `ingestRuns` times, each in a
  // fresh store: one run on a 2-core machine varies by 10 to 20 %, so the median is printed, with
  // the range, and the targets are judged on it.
  const ingestRuns = 3;
  const median = <T extends Timing>(runs: T[]): T =>
    [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
  const range = (runs: Timing[]) =>
    `; ${runs.length} runs ${fmt(Math.min(...runs.map((t) => t.seconds)), 2)}–${fmt(Math.max(...runs.map((t) => t.seconds)), 2)} s`;
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const fresh: Timing[] = [];
    const known: Timing[] = [];
    const limits: (Timing & { rows: number })[] = [];
    for (let run = 0; run < ingestRuns; run++) {
      const store = await openTestStore(dialect);
      try {
        const result = await ingestBig(store, 'a');
        if (result.value.tests !== 100_000) throw new Error(`stored ${result.value.tests} tests`);
        fresh.push(result);
        // The CI steady state: the same suite again in a new run, its tests already known.
        known.push(await ingestBig(store, 'a2'));
        const report = await store.db
          .selectFrom('test_reports')
          .select('seq')
          .where('run_id', '=', 'a')
          .executeTakeFirstOrThrow();
        limits.push(await plainInsertLimit(store, Number(report.seq)));
      } finally {
        await store.drop();
      }
    }
    const result = median(fresh);
    const again = median(known);
    const limit = median(limits);
    ingestRates[dialect] = result;
    ingestKnownRates[dialect] = again;
    limitRates[dialect] = limit;
    line(`candor parse + store, ${dialect}, new tests`, timing(result) + range(fresh));
    line(`candor parse + store, ${dialect}, known tests`, timing(again) + range(known));
    line(
      `limit: plain insert of the same rows, ${dialect}`,
      `${timing(limit)}, ${fmt(limit.rows)} rows`,
    );
    line(
      `  ratio to the limit, new / known tests`,
      `wall ${fmt(result.seconds / limit.seconds, 1)}x / ${fmt(again.seconds / limit.seconds, 1)}x, ` +
        `CPU ${fmt(cpu(result) / cpu(limit), 1)}x / ${fmt(cpu(again) / cpu(limit), 1)}x`,
    );
  }
  // As a user runs it: the real binary under its own flags, a fresh process per ingest (start-up,
  // the commit and SQLite's checkpoint at close included), new tests, then the same suite again;
  // from the TypeScript sources of this checkout, and from the bundle a published package runs
  // (what an installed candor starts: no type stripping of hundreds of modules).
  const cliDir = mkdtempSync(join(tmpdir(), 'candor-bench-'));
  try {
    writeFileSync(join(cliDir, 'big.xml'), big);
    const launchers = [
      ['sources', bin],
      ['bundle', publishedLauncher(cliDir)],
    ] as const;
    for (const [launcher, path] of launchers) {
      for (const [label, runId] of [
        ['new tests', 'c1'],
        ['known tests', 'c2'],
      ] as const) {
        const db = `${launcher}.db`;
        const argv = ['ingest', 'big.xml', '--db', db, '--run', runId, '--repo', 'bench'];
        const ingest = await measure(cliDir, cliFlags, [path, ...argv]);
        if (ingest.code !== 0)
          throw new Error(`candor ingest: exit ${ingest.code}: ${ingest.stderr}`);
        line(
          `candor ingest (the binary, ${launcher}), sqlite, ${label}`,
          `${fmt(ingest.seconds, 2)} s (${fmt(100_000 / ingest.seconds)}/s), CPU ${fmt(ingest.cpuSeconds, 2)} s, peak RSS ${fmt(ingest.peakRssMb)} MB`,
        );
      }
    }
  } finally {
    rmSync(cliDir, { recursive: true, force: true });
  }
  const target = (t: Timing, rate: number) =>
    `wall ${100_000 / t.seconds >= rate ? 'met' : 'MISSED'}, CPU ${100_000 / cpu(t) >= rate ? 'met' : 'MISSED'}`;
  const targets = (dialect: TestDialect, rate: number) =>
    `new tests: ${target(ingestRates[dialect], rate)}; known tests: ${target(ingestKnownRates[dialect], rate)} (medians)`;
  line('target: >= 100,000 cases/s stored on SQLite', targets('sqlite', 100_000));
  line('target: >= 50,000 cases/s stored on PostgreSQL', targets('postgres', 50_000));
  // A target is a rate on some machine; the limit says what this one allows: the plain insert of
  // the report's rows (no ingest stores them faster) against the time the target gives the whole
  // ingest. A target the limit itself misses cannot be met here (docs/adr/0051).
  const reach = (dialect: TestDialect, rate: number) => {
    const allowed = 100_000 / rate;
    const limit = limitRates[dialect].seconds;
    const share = `the plain insert takes ${fmt(limit, 2)} s of the ${fmt(allowed, 2)} s the target allows (${fmt((100 * limit) / allowed)} %)`;
    return limit >= allowed ? `${share}: UNREACHABLE on this machine` : share;
  };
  line('  reachable here? SQLite', reach('sqlite', 100_000));
  line('  reachable here? PostgreSQL', reach('postgres', 50_000));
}

if (only.includes('b')) {
  // (b) 1,000 small reports
  const small = Array.from({ length: 1_000 }, (_, i) =>
    Buffer.from([...generateJunit({ testCases: 25, seed: i + 1 })].join('')),
  );
  console.log(`\n(b) 1,000 small reports of 25 test cases`);
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const store = await openTestStore(dialect);
    try {
      const result = await time(async () => {
        for (const [i, body] of small.entries()) {
          await ingestReport(store, {
            run: { id: `b${i % 50}`, repo: 'bench', startedAt: new Date().toISOString() },
            source: bufferSource(`r${i}.xml`, body),
            format: 'auto',
            allowEmpty: false,
            now: new Date().toISOString(),
          });
        }
      });
      line(
        `candor, ${dialect}`,
        `${fmt(result.seconds, 2)} s, ${fmt(1_000 / result.seconds)} reports/s, ${fmt(25_000 / result.seconds)} cases/s`,
      );
    } finally {
      await store.drop();
    }
  }
  const smallBaseline = await time(async () => {
    for (const body of small)
      new XMLParser({ ignoreAttributes: false }).parse(body.toString('utf8'));
  });
  line(
    'baseline: fast-xml-parser parse only',
    `${fmt(smallBaseline.seconds, 2)} s, ${fmt(1_000 / smallBaseline.seconds)} reports/s`,
  );
}

if (only.includes('c')) {
  // (c) a 1 GB report, each side in its own process so peak RSS is its own
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-'));
  try {
    const child = async (mode: 'candor' | 'baseline', file: string) => {
      const { stdout } = await run(
        process.execPath,
        [
          ...(mode === 'candor' ? cliFlags : []),
          join(import.meta.dirname, 'ingest-child.ts'),
          mode,
          file,
          join(dir, `${mode}.db`),
        ],
        {
          maxBuffer: 1024 * 1024,
          timeout: 30 * 60_000,
        },
      );
      return JSON.parse(stdout) as {
        testCases: number;
        seconds: number;
        peakRssMb: number;
        error?: string;
      };
    };
    const sliceFile = join(dir, 'slice.xml');
    const logs = { outputChars: 20_000, passingOutputChars: 1_000 };
    const slice = await writeJunitOfSize(sliceFile, 100 * 1024 * 1024, logs);
    console.log(
      `\n(c) memory: a ${fmt(slice.bytes / 1e6)} MB report, then a ${gb} GB one (every case logs 1 KB, failures 20 KB)`,
    );
    line('candor runs with', cliFlags.join(' '));
    const sliceBaseline = await child('baseline', sliceFile);
    line(
      `baseline: read whole + parse, ${fmt(slice.bytes / 1e6)} MB`,
      `${fmt(sliceBaseline.seconds, 1)} s, peak RSS ${fmt(sliceBaseline.peakRssMb)} MB`,
    );
    const sliceCandor = await child('candor', sliceFile);
    line(
      `candor ingest (SQLite), ${fmt(slice.bytes / 1e6)} MB`,
      `${fmt(sliceCandor.seconds, 1)} s, peak RSS ${fmt(sliceCandor.peakRssMb)} MB (${fmt(sliceBaseline.peakRssMb / sliceCandor.peakRssMb, 1)}x less)`,
    );
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(join(dir, `candor.db${suffix}`), { force: true });
    rmSync(sliceFile, { force: true });
    const hugeFile = join(dir, 'huge.xml');
    const huge = await writeJunitOfSize(hugeFile, gb * 1024 * 1024 * 1024, logs);
    const hugeBaseline = await child('baseline', hugeFile);
    line(
      `baseline: read whole + parse, ${fmt(statSync(hugeFile).size / 1e9, 2)} GB`,
      hugeBaseline.error
        ? `fails: ${hugeBaseline.error}`
        : `${fmt(hugeBaseline.seconds, 1)} s, peak RSS ${fmt(hugeBaseline.peakRssMb)} MB`,
    );
    const hugeCandor = await child('candor', hugeFile);
    if (hugeCandor.error) throw new Error(hugeCandor.error);
    line(
      `candor ingest (SQLite), ${fmt(huge.testCases)} cases`,
      `${fmt(hugeCandor.seconds, 1)} s, ${fmt(hugeCandor.testCases / hugeCandor.seconds)} cases/s, peak RSS ${fmt(hugeCandor.peakRssMb)} MB`,
    );
    line(
      'target: peak RSS < 200 MB on the 1 GB report',
      hugeCandor.peakRssMb < 200 ? 'met' : 'MISSED',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (only.includes('d')) {
  const tests = 10_000;
  const runs = Math.max(1, Math.round(flakyExecutions / tests));
  const store = await openTestStore('sqlite');
  try {
    const now = new Date();
    const generated = await time(() => generateFlakyHistory(store, { tests, runs, now }));
    console.log(
      `\n(d) flaky report and budget over ${fmt(tests * runs)} stored executions (${fmt(tests)} tests x ${fmt(runs)} runs, SQLite; generated in ${fmt(generated.seconds, 0)} s)`,
    );
    const report = async () =>
      buildFlakyReport(store, {
        now,
        windowMs: 14 * 86_400_000,
        defaultBranch: 'main',
        maxBudget: 0.005,
        ownersOf: () => [],
      });
    await report();
    const timings: number[] = [];
    let last: Awaited<ReturnType<typeof report>> | undefined;
    for (let i = 0; i < 5; i++) {
      const measured = await time(report);
      timings.push(measured.seconds * 1_000);
      last = measured.value;
    }
    timings.sort((x, y) => x - y);
    const medianMs = timings[2] ?? 0;
    line(
      'candor flaky + budget (aggregates), median of 5',
      `${fmt(medianMs)} ms; ${last?.tests.filter((t) => t.classification === 'flaky').length ?? 0} flaky of ${fmt(last?.tests.length ?? 0)} tests`,
    );
    const previous: number[] = [];
    for (let i = 0; i < 5; i++) {
      const measured = await time(() =>
        referenceBuildFlakyReport(store, {
          now,
          windowMs: 14 * 86_400_000,
          defaultBranch: 'main',
          maxBudget: 0.005,
          ownersOf: () => [],
        }),
      );
      previous.push(measured.seconds * 1_000);
    }
    previous.sort((x, y) => x - y);
    line(
      'previous in-memory report (before streaming)',
      `${fmt(previous[2] ?? 0)} ms (${fmt((previous[2] ?? 0) / medianMs, 2)}x candor's time)`,
    );
    const baseline = await time(() =>
      sql`select test_id, count(*), sum(status = 'failed'), sum(status = 'flaky') from test_executions where started_at >= ${new Date(now.getTime() - 14 * 86_400_000).toISOString()} group by test_id`.execute(
        store.db,
      ),
    );
    line(
      'baseline: one GROUP BY over raw executions',
      `${fmt(baseline.seconds * 1_000)} ms (${fmt((baseline.seconds * 1_000) / medianMs, 1)}x slower)`,
    );
    line('target: <= 200 ms on 10M executions', medianMs <= 200 ? 'met' : 'MISSED');
  } finally {
    await store.drop();
  }
}

if (only.includes('e')) {
  console.log(
    '\n(e) shard balance: 300 files, log-normal(0, 1.5) durations, 8 shards, 50 seeds; makespan / lower bound',
  );
  const hash = (s: string) =>
    [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const ratios: Record<string, number[]> = { lpt: [], hash: [], count: [] };
  for (let seed = 1; seed <= 50; seed++) {
    const random = seededRandom(seed);
    const units = Array.from({ length: 300 }, (_, i) => {
      const z = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
      return { id: `tests/file-${String(i).padStart(3, '0')}.test.ts`, seconds: Math.exp(1.5 * z) };
    });
    const plan = splitUnits(units, 8);
    const bound = plan.lowerBoundSeconds;
    ratios.lpt!.push(Math.max(...plan.shards.map((s) => s.estimatedSeconds)) / bound);
    const slices = (sorted: typeof units) => {
      const size = Math.ceil(sorted.length / 8);
      return Math.max(
        ...Array.from({ length: 8 }, (_, i) =>
          sorted.slice(i * size, (i + 1) * size).reduce((s, u) => s + u.seconds, 0),
        ),
      );
    };
    ratios.hash!.push(slices([...units].sort((a, b) => hash(a.id) - hash(b.id))) / bound);
    ratios.count!.push(slices([...units].sort((a, b) => a.id.localeCompare(b.id))) / bound);
  }
  const stat = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `median ${fmt(sorted[Math.floor(sorted.length / 2)] ?? 0, 3)}, p95 ${fmt(sorted[Math.floor(sorted.length * 0.95)] ?? 0, 3)}`;
  };
  line('candor split (LPT on measured durations)', stat(ratios.lpt!));
  line('baseline: hash order + equal counts (Jest/Vitest)', stat(ratios.hash!));
  line('baseline: even split by count, path order', stat(ratios.count!));
}

if (only.includes('f')) {
  const store = await openTestStore('sqlite');
  const now = new Date();
  const app = await buildServer({
    store,
    bodyLimitBytes: 64 * 1024 * 1024,
    logger: false,
    now: () => now,
  });
  try {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const { secret } = await createApiToken(store, {
      name: 'bench',
      scopes: ['admin'],
      now: now.toISOString(),
    });
    // Ten services; per deployment: commit, tests, policy, start, finish; every 20th rolled back.
    const batchOf = (start: number, size: number) =>
      Array.from({ length: size }, (_, k) => {
        const i = start + k;
        const deploymentIndex = Math.floor(i / 5);
        const stage = i % 5;
        // Spread over the 29 days before now, whatever the ledger's size (candor refuses events
        // more than a day in the future).
        const spacing = (29 * 86_400_000) / Math.ceil(ledgerEvents / 5);
        const at = new Date(
          now.getTime() - 29 * 86_400_000 + deploymentIndex * spacing + stage * (spacing / 10),
        ).toISOString();
        const service = `svc-${deploymentIndex % 10}`;
        const commit = `c${deploymentIndex}`;
        const types = [
          'commit_created',
          'tests_passed',
          'policy_passed',
          'deploy_started',
          deploymentIndex % 20 === 0 ? 'rollback_triggered' : 'deploy_finished',
        ];
        return {
          type: types[stage],
          id: `e${i}`,
          source: 'bench',
          occurredAt: at,
          service,
          commit,
          ...(stage >= 3
            ? { environment: 'production', deployment: `d${deploymentIndex}`, result: 'success' }
            : {}),
        };
      });
    const batchSize = 1_000;
    const posted = await time(async () => {
      let next = 0;
      const worker = async () => {
        for (let start = next; start < ledgerEvents; start = next) {
          next += batchSize;
          const response = await fetch(`${address}/api/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
            body: JSON.stringify(batchOf(start, Math.min(batchSize, ledgerEvents - start))),
          });
          if (response.status !== 201)
            throw new Error(`POST /api/v1/events: ${response.status} ${await response.text()}`);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    });
    console.log(
      `\n(f) delivery events: ${fmt(ledgerEvents)} through POST /api/v1/events in batches of ${fmt(batchSize)} (SQLite)`,
    );
    line(
      'ingest through the HTTP API',
      `${fmt(posted.seconds, 1)} s, ${fmt(ledgerEvents / posted.seconds)} events/s`,
    );
    line('target: >= 5,000 events/s', ledgerEvents / posted.seconds >= 5_000 ? 'met' : 'MISSED');
    const report = () =>
      buildDoraReport(store, {
        now,
        windowMs: 30 * 86_400_000,
        environment: 'production',
        incidentWindowMs: 86_400_000,
      });
    await report();
    const dora = await time(report);
    line(
      `candor dora over ${fmt(ledgerEvents)} events`,
      `${fmt(dora.seconds * 1_000)} ms; ${fmt(dora.value.deployments)} deployments, CFR ${dora.value.changeFailureRate}`,
    );
    // The floor for a streaming read: every row once through a cursor, nothing done with it.
    const baseline = await time(async () => {
      let rows = 0;
      for await (const row of store.db.selectFrom('delivery_events').selectAll().stream(2_000))
        if (row.id !== '') rows++;
      return rows;
    });
    line(
      'baseline: stream every event row once',
      `${fmt(baseline.seconds * 1_000)} ms (${fmt(baseline.value)} rows)`,
    );
    line('target: <= 500 ms', dora.seconds <= 0.5 ? 'met' : 'MISSED');
  } finally {
    await app.close();
    await store.drop();
  }
}

if (only.includes('g')) {
  await benchReadPaths({ scale, flags: cliFlags, line, fmt });
}

if (only.includes('h')) {
  // (h) the field report's 60 MB CTRF (1.26M tests), each run in its own process for its peak RSS
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-'));
  try {
    type Outcome = {
      testCases: number;
      tests: number;
      seconds: number;
      peakRssMb: number;
      error?: string;
    };
    const child = async (
      mode: 'candor' | 'reader' | 'baseline',
      flags: string[],
    ): Promise<Outcome | { failed: string }> => {
      try {
        const { stdout } = await run(
          process.execPath,
          [...flags, join(import.meta.dirname, 'ctrf-child.ts'), mode, file, join(dir, 'ctrf.db')],
          { maxBuffer: 1024 * 1024, timeout: 30 * 60_000 },
        );
        return JSON.parse(stdout) as Outcome;
      } catch (error) {
        const { code, signal, stderr } = error as {
          code?: number;
          signal?: string;
          stderr?: string;
        };
        const reason = /heap out of memory/.test(stderr ?? '')
          ? 'JavaScript heap out of memory'
          : 'failed';
        return { failed: `${reason} (exit ${code ?? signal ?? '?'})` };
      }
    };
    const file = join(dir, 'report.json');
    const bytes = await writeCtrf(file, ctrfTests);
    console.log(`\n(h) one CTRF report: ${fmt(bytes / 1e6, 1)} MB, ${fmt(ctrfTests)} tests`);
    line('candor runs with', cliFlags.join(' '));
    const show = (outcome: Outcome | { failed: string }) =>
      'failed' in outcome
        ? `fails: ${outcome.failed}`
        : `${fmt(outcome.seconds, 1)} s, ${fmt(outcome.testCases / outcome.seconds)} tests/s, peak RSS ${fmt(outcome.peakRssMb)} MB`;
    const baseline = await child('baseline', []);
    line('baseline: read whole + JSON.parse, no heap cap', show(baseline));
    line("baseline: the same under candor's flags", show(await child('baseline', cliFlags)));
    const reader = await child('reader', cliFlags);
    line('candor reader, streaming, parse only', show(reader));
    const ingest = await child('candor', cliFlags);
    line('candor ingest (SQLite)', show(ingest));
    if ('failed' in ingest || ingest.error || ingest.tests !== ctrfTests) {
      throw new Error(`CTRF ingest: ${JSON.stringify(ingest)}`);
    }
    line('target: succeeds with peak RSS < 200 MB', ingest.peakRssMb < 200 ? 'met' : 'MISSED');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (only.includes('i')) {
  const canaryRuns = args.includes('--canary-runs')
    ? Number(args[args.indexOf('--canary-runs') + 1])
    : 2_000;
  await benchCanary({ line, fmt, runs: canaryRuns });
}

if (only.includes('s')) {
  const dialects = args.includes('--dialects')
    ? ((args[args.indexOf('--dialects') + 1] ?? '').split(',') as TestDialect[])
    : (['sqlite', 'postgres'] as const);
  const days = args.includes('--history-days')
    ? Number(args[args.indexOf('--history-days') + 1]) || 30
    : 30;
  await benchSteadyState(dialects, days, line, fmt);
}

if (only.includes('w')) {
  const watches = args.includes('--watches') ? Number(args[args.indexOf('--watches') + 1]) : 600;
  benchWatch({ line, fmt, watches });
}

if (only.includes('p')) {
  const dialects = args.includes('--dialects')
    ? ((args[args.indexOf('--dialects') + 1] ?? '').split(',') as TestDialect[])
    : (['sqlite', 'postgres'] as const);
  await benchDeliveryProjections({ line, fmt }, { events: ledgerEvents, dialects });
}

if (only.includes('m')) {
  const dialects = args.includes('--dialects')
    ? ((args[args.indexOf('--dialects') + 1] ?? '').split(',') as TestDialect[])
    : (['sqlite', 'postgres'] as const);
  const storeEvents = args.includes('--store-events')
    ? Number(args[args.indexOf('--store-events') + 1])
    : 20_000;
  await benchDeliveryDora(
    { line, fmt, flags: cliFlags },
    { events: ledgerEvents, storeEvents, dialects },
  );
}

if (only.includes('k')) {
  await benchEvidence({ line, fmt, flags: cliFlags });
}

if (only.includes('l')) {
  const lcovFiles = args.includes('--lcov-files')
    ? Number(args[args.indexOf('--lcov-files') + 1])
    : 20_000;
  await benchGateCoverage({ line, fmt, cliFlags, files: lcovFiles });
}

if (only.includes('q')) {
  await benchGateChange({ line, fmt, cliFlags });
}

if (only.includes('x')) {
  const dashboardScale = Number(process.env['CANDOR_BENCH_DASHBOARD_SCALE'] ?? '1') || 1;
  await benchDashboard({ line, fmt }, { scale: dashboardScale });
}
