// Bench part (g): every read path at ten times the size that crashed it before issue 7, each in
// a child process with exactly the launcher's V8 flags, with its peak RSS; the baseline is the
// previous whole-history implementation run the same way.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createApiToken } from '../src/app/tokens/api-tokens.ts';
import { ingestReport } from '../src/app/tests/ingest-report.ts';
import { fileSource } from '../src/app/tests/report-source.ts';
import { openStore } from '../src/store/open-store.ts';

const root = join(import.meta.dirname, '..');
const hook = join(import.meta.dirname, 'peak-rss-hook.ts');
const binary = join(root, 'bin', 'candor.js');

type Measured = { exit: number | string; seconds: number; peakRssMb: number };

/** Runs a command in a child with `flags`, output discarded; its peak RSS from the exit hook. */
async function measure(flags: string[], script: string, args: string[]): Promise<Measured> {
  const started = performance.now();
  const child = spawn(process.execPath, [...flags, '--import', hook, script, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  const kb = /candor-bench-peak-rss-kb=(\d+)/.exec(stderr)?.[1];
  return {
    exit: code ?? signal ?? 'unknown',
    seconds: (performance.now() - started) / 1_000,
    peakRssMb: kb === undefined ? NaN : Number(kb) / 1024,
  };
}

/** Starts `candor serve`, runs the requests, stops it: the server's peak RSS over all of them. */
async function measureServer(
  flags: string[],
  db: string,
  requests: { path: string; token?: string }[],
): Promise<Measured & { statuses: number[] }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...flags, '--import', hook, binary, 'serve', '--port', '0', '--db', db, '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  const statuses: number[] = [];
  for (const request of requests) {
    const response = await fetch(`${address}${request.path}`, {
      headers: request.token ? { authorization: `Bearer ${request.token}` } : {},
    }).catch(() => undefined);
    statuses.push(response?.status ?? 0);
    await response?.arrayBuffer();
  }
  child.kill('SIGTERM');
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  const kb = /candor-bench-peak-rss-kb=(\d+)/.exec(stderr)?.[1];
  return {
    exit: code ?? signal ?? 'unknown',
    statuses,
    seconds: (performance.now() - started) / 1_000,
    peakRssMb: kb === undefined ? NaN : Number(kb) / 1024,
  };
}

/**
 * Writes a ledger straight into a migrated SQLite file. `d2`: the field report's shape (start and
 * finish alternating, a commit per event, 7 services); `bench`: part (f)'s (five events per
 * deployment, 10 services, every 20th rolled back).
 */
async function writeLedger(path: string, shape: 'd2' | 'bench', events: number, now: number) {
  await (await openStore({ kind: 'sqlite', path })).close();
  const db = new DatabaseSync(path);
  const insert = db.prepare(
    `insert into delivery_events (source, id, type, occurred_at, received_at, service, environment,
      commit_sha, commits, deployment, incident, result, attributes)
     values (?, ?, ?, ?, ?, ?, ?, ?, null, ?, null, ?, null)`,
  );
  const start = now - 29 * 86_400_000;
  const span = 28 * 86_400_000;
  const received = new Date(now).toISOString();
  db.exec('begin');
  for (let i = 0; i < events; i++) {
    if (i > 0 && i % 50_000 === 0) db.exec('commit; begin');
    const at = new Date(start + Math.floor((i / events) * span)).toISOString();
    if (shape === 'd2') {
      insert.run(
        's',
        `ev-${i}`,
        i % 2 ? 'deploy_finished' : 'deploy_started',
        at,
        received,
        `svc-${i % 7}`,
        'production',
        `c${i}`,
        null,
        'success',
      );
    } else {
      const d = Math.floor(i / 5);
      const stage = i % 5;
      const type = [
        'commit_created',
        'tests_passed',
        'policy_passed',
        'deploy_started',
        d % 20 === 0 ? 'rollback_triggered' : 'deploy_finished',
      ][stage] as string;
      const deployed = stage >= 3;
      insert.run(
        'bench',
        `e${i}`,
        type,
        at,
        received,
        `svc-${d % 10}`,
        deployed ? 'production' : null,
        `c${d}`,
        deployed ? `d${d}` : null,
        deployed ? 'success' : null,
      );
    }
  }
  db.exec('commit');
  db.close();
}

/** The field report's flaky shape: one run, suites of 1,000, 3% failing, 1% flaky by retry. */
async function writeFlakyReport(path: string, tests: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('<testsuites>');
  for (let s = 0; s * 1_000 < tests; s++) {
    const parts = [`<testsuite name="S${s}">`];
    for (let i = 0; i < 1_000 && s * 1_000 + i < tests; i++) {
      const n = s * 1_000 + i;
      const body =
        n % 33 === 0
          ? `<failure message="got ${n}">t</failure>`
          : n % 100 === 1
            ? '<flakyFailure message="timeout">t</flakyFailure>'
            : '';
      parts.push(`<testcase classname="pkg.C${s}" name="t${i}" time="0.01">${body}</testcase>`);
    }
    parts.push('</testsuite>');
    await write(parts.join(''));
  }
  await write('</testsuites>');
  out.end();
  await once(out, 'finish');
}

export async function benchReadPaths(options: {
  scale: number;
  flags: string[];
  line: (label: string, value: string) => void;
  fmt: (n: number, digits?: number) => string;
}): Promise<void> {
  const { flags, line, fmt } = options;
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-read-'));
  const now = Date.now();
  const shown = (m: Measured) =>
    m.exit === 0
      ? `${fmt(m.seconds, 1)} s, peak RSS ${fmt(m.peakRssMb)} MB`
      : `CRASHED (${m.exit === 'SIGABRT' || m.exit === 134 ? 'V8 heap out of memory' : `exit ${m.exit}`}) after ${fmt(m.seconds, 1)} s`;
  try {
    console.log(
      `\n(g) read paths at 10x the sizes that crashed them, children run with: ${flags.join(' ')}`,
    );
    for (const [shape, events, crashed] of [
      ['d2', 2_500_000, '250k'],
      ['bench', 3_750_000, '375k'],
    ] as const) {
      const size = Math.round(events * options.scale);
      const db = join(dir, `${shape}.db`);
      await writeLedger(db, shape, size, now);
      const { secret } = await (async () => {
        const store = await openStore({ kind: 'sqlite', path: db });
        try {
          return await createApiToken(store, {
            name: 'bench',
            scopes: ['read'],
            now: new Date(now).toISOString(),
          });
        } finally {
          await store.close();
        }
      })();
      console.log(`  ledger "${shape}": ${fmt(size)} events (crashed at ${crashed} before)`);
      line(
        '  baseline: previous whole-ledger replay',
        shown(
          await measure(flags, join(import.meta.dirname, 'baseline-read-child.ts'), ['dora', db]),
        ),
      );
      line(
        '  candor dora --json',
        shown(await measure(flags, binary, ['dora', '--json', '--db', db])),
      );
      const served = await measureServer(flags, db, [
        { path: '/api/v1/dora', token: secret },
        { path: '/metrics' },
        { path: '/metrics' },
      ]);
      line(
        '  candor serve: GET /api/v1/dora, /metrics twice',
        `statuses ${served.statuses.join(', ')}; server peak RSS ${fmt(served.peakRssMb)} MB (${fmt(served.seconds, 1)} s)`,
      );
    }
    const tests = Math.round(2_000_000 * options.scale);
    const xml = join(dir, 'flaky.xml');
    const db = join(dir, 'flaky.db');
    await writeFlakyReport(xml, tests);
    const store = await openStore({ kind: 'sqlite', path: db });
    const ingested = await ingestReport(store, {
      run: {
        id: 'flaky',
        repo: 'r',
        branch: 'main',
        defaultBranch: 'main',
        startedAt: new Date(now - 3_600_000).toISOString(),
      },
      source: await fileSource(xml),
      format: 'junit',
      allowEmpty: false,
      now: new Date(now).toISOString(),
    });
    await store.close();
    rmSync(xml, { force: true });
    console.log(
      `  flaky history: one run of ${fmt(ingested.tests)} tests, 3% failing, 1% flaky (crashed at 200k before)`,
    );
    line(
      '  baseline: previous in-memory flaky report',
      shown(
        await measure(flags, join(import.meta.dirname, 'baseline-read-child.ts'), ['flaky', db]),
      ),
    );
    for (const args of [['flaky'], ['flaky', '--json'], ['flaky', 'budget']]) {
      const measured = await measure(flags, binary, [...args, '--db', db]);
      // flaky budget exits 1 over budget: that is its answer, not a failure.
      line(
        `  candor ${args.join(' ')}`,
        shown({
          ...measured,
          exit: measured.exit === 1 && args[1] === 'budget' ? 0 : measured.exit,
        }),
      );
    }
    const served = await measureServer(flags, db, [{ path: '/metrics' }]);
    line(
      '  candor serve: GET /metrics',
      `status ${served.statuses.join(', ')}; server peak RSS ${fmt(served.peakRssMb)} MB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
