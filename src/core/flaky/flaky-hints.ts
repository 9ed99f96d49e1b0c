export type FailureForHints = {
  at: string;
  durationMs: number | null;
  message: string | null;
  variant: string | null;
  ciJob: string | null;
  /** Properties the report recorded on the test, e.g. a random seed. */
  properties?: Record<string, string> | null;
};

/** Timeouts test runners commonly use, in milliseconds. */
const commonTimeoutsMs = [
  1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000,
];

/**
 * Hints on why a test flakes, from its failures: concentrated on one CI job (runner, shard) or
 * variant, on a few hours of the day, durations just under a common timeout (or messages that say
 * "timeout"), a seed or order the report recorded on the failing test. A concentration needs at
 * least 3 failures and 70% of them in one place. Never throws.
 */
export function flakyHints(failures: readonly FailureForHints[]): string[] {
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
  const concentrated = (values: (string | null)[], what: string) => {
    const counts = new Map<string, number>();
    for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size < 1) return;
    const [top, n] = [...counts].sort((a, b) => b[1] - a[1])[0] as [string, number];
    if (n / failures.length >= 0.7 && (counts.size > 1 || n < failures.length || what === 'hour')) {
      hints.push(`${Math.round((100 * n) / failures.length)}% of failures on ${what} ${top}`);
    }
  };
  concentrated(
    failures.map((f) => f.ciJob),
    'CI job',
  );
  concentrated(
    failures.map((f) => f.variant),
    'variant',
  );
  // Time of day: failures on at most 3 distinct UTC hours, 70% of them within one 3-hour window
  // (the first such window from 00:00).
  const hours = failures.map((f) => new Date(f.at).getUTCHours());
  if (new Set(hours).size <= 3) {
    for (let start = 0; start < 24; start++) {
      const inWindow = hours.filter((h) => (h - start + 24) % 24 < 3).length;
      if (inWindow / failures.length >= 0.7) {
        hints.push(
          `${Math.round((100 * inWindow) / failures.length)}% of failures between ${String(start).padStart(2, '0')}:00 and ${String((start + 3) % 24).padStart(2, '0')}:00 UTC`,
        );
        break;
      }
    }
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
