// Bench part (m): `candor dora` over a large ledger (issue 10 item 4) and the cost of storing
// events with their projections. The ledger (part (p)'s shape) is generated once and cached
// under the temp dir; every figure prints wall time and this process's CPU time, since the
// machine may be shared.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDoraReport } from '../src/app/delivery/build-dora-report.ts';
import { rebuildDeliveryProjections } from '../src/app/delivery/project-delivery-events.ts';
import { recordEvents, toStoredEvent } from '../src/app/delivery/record-events.ts';
import { parseEventInput } from '../src/readers/events/event-readers.ts';
import { openStore, type Store } from '../src/store/open-store.ts';
import {
  countDeliveryEvents,
  insertDeliveryEvents,
  type StoredDeliveryEvent,
} from '../src/store/repositories/delivery/delivery-event.repository.ts';
import { openTestStore, type TestDialect } from '../src/testing/open-test-store.ts';
import { candorBin } from '../src/testing/run-cli-binary.ts';
import { batchOf } from './delivery-projections.ts';
import { publishedLauncher } from './gate-change.ts';

const run = promisify(execFile);

type Report = {
  line: (label: string, value: string) => void;
  fmt: (n: number, digits?: number) => string;
  /** The executable's V8 flags, for children. */
  flags: readonly string[];
};

/** The cached ledger ends here, so the cache stays valid from one run to the next. */
const ledgerEnd = Date.parse('2026-12-01T00:00:00Z');
/**
 * `candor dora --window 30d` a day after the ledger ends (the cold CLI run reads the real clock:
 * its window is the 30 days before now).
 */
const doraNow = ledgerEnd + 86_400_000;
const doraQuery = {
  now: new Date(doraNow),
  windowMs: 30 * 86_400_000,
  environment: 'production',
  incidentWindowMs: 86_400_000,
};
const doraTargetMs = 300;

/** Part (p)'s events as the ledger stores them. */
function storedBatch(start: number, size: number, total: number): StoredDeliveryEvent[] {
  const receivedAt = new Date(ledgerEnd).toISOString();
  return batchOf(start, size, total, ledgerEnd).map((value) => {
    const parsed = parseEventInput(value, { receivedAt });
    if (!parsed.ok || parsed.value[0] === undefined) throw new Error(`bench event ${value.id}`);
    return toStoredEvent(parsed.value[0], receivedAt);
  });
}

/** Wall and CPU milliseconds of one piece of work. */
async function measure<T>(
  work: () => Promise<T>,
): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, wall, cpu: (used.user + used.system) / 1_000 };
}

/** The SQLite ledger of `events` events, made once (plain inserts) and kept under the temp dir. */
async function cachedLedger({ line, fmt }: Report, events: number): Promise<string> {
  const dir = join(tmpdir(), 'candor-bench-m');
  // v3: with the DORA projections (docs/adr/0044), built by `candor db rebuild`'s code.
  const path = join(dir, `ledger-${events}-v3.db`);
  if (existsSync(path)) {
    line('ledger (cached)', path);
    return path;
  }
  mkdirSync(dir, { recursive: true });
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const store = await openStore({ kind: 'sqlite', path: partial });
  try {
    const made = await measure(async () => {
      for (let start = 0; start < events; start += 10_000) {
        const batch = storedBatch(start, Math.min(10_000, events - start), events);
        await store.db.transaction().execute((trx) => insertDeliveryEvents(store, trx, batch));
      }
    });
    line(
      'ledger generated (plain inserts, once)',
      `${fmt(made.wall / 1_000, 1)} s, ${fmt(events / (made.wall / 1_000))} events/s`,
    );
    const rebuilt = await measure(() => rebuildDeliveryProjections(store));
    line(
      'projections rebuilt (candor db rebuild, once)',
      `${fmt(rebuilt.wall / 1_000, 1)} s wall, ${fmt(rebuilt.cpu / 1_000, 1)} s CPU, ${fmt(events / (rebuilt.wall / 1_000))} events/s`,
    );
  } finally {
    await store.close();
  }
  for (const suffix of ['', '-wal', '-shm'])
    if (existsSync(partial + suffix)) renameSync(partial + suffix, path + suffix);
  return path;
}

/** Median (by wall time) of `runs` runs. */
async function medianOf(runs: number, work: () => Promise<unknown>) {
  const all: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < runs; i++) all.push(await measure(work));
  all.sort((a, b) => a.wall - b.wall);
  return all[Math.floor(all.length / 2)] as { wall: number; cpu: number };
}

/** Stores `events` events in batches of 1,000: with their projections, or the plain insert. */
async function storeEvents(store: Store, events: number, withProjections: boolean) {
  const receivedAt = new Date(ledgerEnd).toISOString();
  for (let start = 0; start < events; start += 1_000) {
    const size = Math.min(1_000, events - start);
    if (withProjections)
      await recordEvents(
        store,
        batchOf(start, size, events, ledgerEnd).map((value) => ({ value })),
        { receivedAt, atomic: true },
      );
    else {
      const batch = storedBatch(start, size, events);
      await store.db.transaction().execute((trx) => insertDeliveryEvents(store, trx, batch));
    }
  }
}

/**
 * Part (m): `candor dora` over `events` events (the app service in this process, then a cold
 * `candor dora --json` in a child) against the 300 ms target, and storing `storeEvents` events
 * with their projections next to a plain insert of the same rows, on each dialect.
 */
export async function benchDeliveryDora(
  report: Report,
  options: { events: number; storeEvents: number; dialects: readonly TestDialect[] },
): Promise<void> {
  const { line, fmt } = report;
  console.log(`\n(m) candor dora over ${fmt(options.events)} events (SQLite)`);
  const path = await cachedLedger(report, options.events);
  const store = await openStore({ kind: 'sqlite', path });
  try {
    const stored = await countDeliveryEvents(store.db);
    if (stored !== options.events) throw new Error(`the cached ledger holds ${stored} events`);
    const first = await measure(() => buildDoraReport(store, doraQuery));
    line(
      'candor dora, app service, first call',
      `${fmt(first.wall)} ms wall, ${fmt(first.cpu)} ms CPU; ${fmt(first.value.deployments)} deployments`,
    );
    const warm = await medianOf(3, () => buildDoraReport(store, doraQuery));
    line(
      'candor dora, app service (median of 3)',
      `${fmt(warm.wall)} ms wall, ${fmt(warm.cpu)} ms CPU`,
    );
    line(`target: candor dora <= ${doraTargetMs} ms`, warm.wall <= doraTargetMs ? 'met' : 'MISSED');
  } finally {
    await store.close();
  }
  const started = performance.now();
  const child = await run(
    process.execPath,
    [...report.flags, candorBin, 'dora', '--db', path, '--window', '30d', '--json'],
    { maxBuffer: 64 << 20 },
  );
  const cold = performance.now() - started;
  const answer = JSON.parse(child.stdout) as { deployments: number };
  line(
    'candor dora --json, cold CLI in a child',
    `${fmt(cold)} ms wall (process start included); ${fmt(answer.deployments)} deployments`,
  );
  line(`target: a cold candor dora <= ${doraTargetMs} ms`, cold <= doraTargetMs ? 'met' : 'MISSED');
  // What users run: the published package's bundle, one file instead of the sources.
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-m-published-'));
  try {
    const published = publishedLauncher(dir);
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await run(
        process.execPath,
        [...report.flags, published, 'dora', '--db', path, '--window', '30d', '--json'],
        { maxBuffer: 64 << 20 },
      );
      runs.push(performance.now() - t);
    }
    const median = runs.sort((a, b) => a - b)[1] as number;
    line(
      'candor dora --json, cold, published bundle (median of 3)',
      `${fmt(median)} ms wall (process start included)`,
    );
    line(
      `target: a cold candor dora (bundle) <= ${doraTargetMs} ms`,
      median <= doraTargetMs ? 'met' : 'MISSED',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  for (const dialect of options.dialects) {
    console.log(
      `\n(m) storing ${fmt(options.storeEvents)} events in batches of 1,000 (${dialect})`,
    );
    for (const withProjections of [false, true]) {
      const target = await openTestStore(dialect);
      try {
        const took = await measure(() => storeEvents(target, options.storeEvents, withProjections));
        const rate = options.storeEvents / (took.wall / 1_000);
        line(
          withProjections ? 'candor: ledger + projections' : 'baseline: plain ledger insert',
          `${fmt(rate)} events/s (${fmt(took.wall / 1_000, 1)} s wall, ${fmt(took.cpu / 1_000, 1)} s CPU here)`,
        );
      } finally {
        await target.drop();
      }
    }
  }
}
