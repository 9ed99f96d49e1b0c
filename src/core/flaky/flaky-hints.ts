export type FailureForHints = {
  at: string;
  durationMs: number | null;
  message: string | null;
  variant: string | null;
  ciJob: string | null;
  /** Properties the report recorded on the test, e.g. a random seed. */
  properties?: Record<string, string> | null;
};

/** When, where and how all counted executions of a test ran: what failures are compared with. */
export type ExecutionBaseline = {
  executions: number;
  /** Executions by UTC hour of the day (24 entries). */
  byHour: number[];
  byCiJob: Record<string, number>;
  byVariant: Record<string, number>;
};

/** A place holds a hint's share of failures when it holds at least this much more than its share of executions. */
const liftOverExecutions = 1.5;

/** Timeouts test runners commonly use, in milliseconds. */
const commonTimeoutsMs = [
  1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000,
];

/**
 * Whether `flakyHints` needs a baseline for these failures: at least 3 of them, 70% of which
 * fall on one CI job, variant or 3-hour window (a concentration the baseline may confirm).
 * Lets a caller read executions only for the tests that can get such a hint. Never throws.
 */
export function needsBaseline(failures: readonly FailureForHints[]): boolean {
  if (failures.length < 3) return false;
  const top = (values: (string | null)[]) => {
    const counts = new Map<string, number>();
    for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    return Math.max(0, ...counts.values());
  };
  if (top(failures.map((f) => f.ciJob)) / failures.length >= 0.7) return true;
  if (top(failures.map((f) => f.variant)) / failures.length >= 0.7) return true;
  const hours = failures.map((f) => new Date(f.at).getUTCHours());
  for (let start = 0; start < 24; start++) {
    if (hours.filter((h) => (h - start + 24) % 24 < 3).length / failures.length >= 0.7) return true;
  }
  return false;
}

/**
 * Hints on why a test flakes, from its failures compared with all its executions (`baseline`):
 * failures concentrated on one CI job (runner, shard), variant or 3-hour window of the day more
 * than its executions are (at least 70% of the failures there, and at least 1.5 times the share
 * of executions that ran there: "100% of failures between 17:00 and 20:00" when every run was
 * then is no hint); durations just under a common timeout (or messages that say "timeout"); a
 * seed or order the report recorded on the failing test. A concentration needs at least 3
 * failures and a baseline. Never throws.
 */
export function flakyHints(
  failures: readonly FailureForHints[],
  baseline?: ExecutionBaseline,
): string[] {
  const hints: string[] = [];
  // A recorded seed or order replays the failure: show it even for one failure.
  const seeds = new Set<string>();
  for (const f of failures) {
    for (const [name, value] of Object.entries(f.properties ?? {})) {
      if (/seed|random|order|shuffle/i.test(name)) seeds.add(`${name}=${value}`);
    }
  }
  if (seeds.size > 0)
    hints.push(`failing runs recorded ${[...seeds].slice(0, 5).join(', ')}: replay with it`);
  if (failures.length < 3) return hints;
  const percent = (n: number, of: number) => Math.round((100 * n) / of);
  const stands = (inPlace: number, executionsThere: number): boolean =>
    baseline !== undefined &&
    baseline.executions > 0 &&
    inPlace / failures.length >= 0.7 &&
    inPlace / failures.length >= liftOverExecutions * (executionsThere / baseline.executions);
  const concentrated = (
    values: (string | null)[],
    what: string,
    executionsOf: Record<string, number> | undefined,
  ) => {
    const counts = new Map<string, number>();
    for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (top === undefined || baseline === undefined) return;
    const [place, n] = top;
    const there = executionsOf?.[place] ?? 0;
    if (stands(n, there)) {
      hints.push(
        `${percent(n, failures.length)}% of failures on ${what} ${place}, which ran ${percent(there, baseline.executions)}% of executions`,
      );
    }
  };
  concentrated(
    failures.map((f) => f.ciJob),
    'CI job',
    baseline?.byCiJob,
  );
  concentrated(
    failures.map((f) => f.variant),
    'variant',
    baseline?.byVariant,
  );
  // Time of day: the first 3-hour window from 00:00 holding 70% of the failures.
  const hours = failures.map((f) => new Date(f.at).getUTCHours());
  for (let start = 0; start < 24 && baseline !== undefined; start++) {
    const inWindow = (h: number) => (h - start + 24) % 24 < 3;
    const failing = hours.filter(inWindow).length;
    if (failing / failures.length < 0.7) continue;
    const there = baseline.byHour.reduce((sum, n, h) => (inWindow(h) ? sum + n : sum), 0);
    if (stands(failing, there))
      hints.push(
        `${percent(failing, failures.length)}% of failures between ${String(start).padStart(2, '0')}:00 and ${String((start + 3) % 24).padStart(2, '0')}:00 UTC, when ${percent(there, baseline.executions)}% of executions ran`,
      );
    break;
  }
  const nearTimeout = failures.filter(
    (f) =>
      f.durationMs !== null &&
      commonTimeoutsMs.some(
        (t) => (f.durationMs as number) >= t * 0.95 && (f.durationMs as number) <= t * 1.05,
      ),
  ).length;
  const saysTimeout = failures.filter(
    (f) => f.message !== null && /time(d)?[ -]?out|exceeded/i.test(f.message),
  ).length;
  if (nearTimeout / failures.length >= 0.5)
    hints.push(
      `${nearTimeout} of ${failures.length} failures ran for about a common timeout (1 s, 5 s, 30 s, ...)`,
    );
  else if (saysTimeout / failures.length >= 0.5)
    hints.push(`${saysTimeout} of ${failures.length} failure messages mention a timeout`);
  return hints;
}
