/**
 * Multi-window, multi-burn-rate alerting on an SLO's error budget (Google, "The Site Reliability
 * Workbook", ch. 5 "Alerting on SLOs", recommendation 6): the burn rate over a window is the
 * window's error ratio divided by the budget (1 − objective); an alert fires when both the long
 * and the short window of one pair burn faster than the pair's factor. The workbook's pairs:
 * 14.4× over 1 h and 5 min (2% of a 30-day budget in an hour), 6× over 6 h and 30 min (5% in six
 * hours); 1× over 3 d and 6 h is a ticket, not a page, and is left to the user's list.
 */
export type BurnWindowPair = { long: number; short: number; factor: number };

/** The workbook's paging pairs, windows in milliseconds. */
export const defaultBurnPairs: readonly BurnWindowPair[] = [
  { long: 3_600_000, short: 300_000, factor: 14.4 },
  { long: 21_600_000, short: 1_800_000, factor: 6 },
];

/** Per-interval counts of bad and all events, each point at the end of its interval. */
export type CountPoint = { at: number; bad: number; total: number };

export type BurnWindow = {
  window: number;
  bad: number;
  total: number;
  errorRatio: number | null;
  burnRate: number | null;
};

export type BurnPairResult = BurnWindowPair & {
  long: number;
  short: number;
  longRate: number | null;
  shortRate: number | null;
  firing: boolean;
};

export type BurnRateResult = {
  objective: number;
  budget: number;
  pairs: BurnPairResult[];
  firing: boolean;
  /** A pair whose long window has less data than it spans: the answer may still change. */
  incomplete: boolean;
};

/** Bad and total events of the points with now − window < at ≤ now, and their burn rate. */
export function burnWindow(
  points: readonly CountPoint[],
  now: number,
  window: number,
  budget: number,
): BurnWindow {
  let bad = 0;
  let total = 0;
  for (const p of points)
    if (p.at > now - window && p.at <= now && Number.isFinite(p.bad) && Number.isFinite(p.total)) {
      bad += p.bad;
      total += p.total;
    }
  const errorRatio = total > 0 ? bad / total : null;
  return {
    window,
    bad,
    total,
    errorRatio,
    burnRate: errorRatio === null ? null : errorRatio / budget,
  };
}

/**
 * Whether an SLO (`objective`, e.g. 0.999) burns its budget too fast at `now`, for each pair of
 * windows. A window without events has no rate and never fires. Pure.
 */
export function burnRate(
  points: readonly CountPoint[],
  options: { objective: number; now: number; pairs?: readonly BurnWindowPair[] },
): BurnRateResult {
  const budget = 1 - options.objective;
  const pairs = (options.pairs ?? defaultBurnPairs).map((pair) => {
    const long = burnWindow(points, options.now, pair.long, budget);
    const short = burnWindow(points, options.now, pair.short, budget);
    const firing =
      long.burnRate !== null &&
      short.burnRate !== null &&
      long.burnRate > pair.factor &&
      short.burnRate > pair.factor;
    return { ...pair, longRate: long.burnRate, shortRate: short.burnRate, firing };
  });
  const earliest = points.reduce((min, p) => Math.min(min, p.at), Infinity);
  return {
    objective: options.objective,
    budget,
    pairs,
    firing: pairs.some((p) => p.firing),
    incomplete: pairs.some((p) => options.now - earliest < p.long),
  };
}
