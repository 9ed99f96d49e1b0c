// Bench part (w): the post-deploy watch's drift detectors side by side — the window detector
// (detectDrift, the old default), the pre-deploy GLS test (detectDriftSinceDeploy) and naive
// Mann–Kendall: false alarms on healthy watches, detection delay of a leak, and the time of one
// evaluation of 50 metrics.
import { simulateGauge, type GaugeScenario } from '../src/core/watch/calibration/simulate-watch.ts';
import { detectDrift, oneSidedCritical } from '../src/core/watch/detect-drift.ts';
import { detectDriftSinceDeploy } from '../src/core/watch/detect-drift-since-deploy.ts';
import { mannKendall } from '../src/core/watch/mann-kendall.ts';
import { compareCountsToBaseline } from '../src/core/watch/compare-to-baseline.ts';
import { seededRandom } from '../src/core/lib/seeded-random.ts';

type Line = (label: string, value: string) => void;
type Format = (n: number, digits?: number) => string;

const minute = 60_000;
const watchMinutes = 120;
/** The pre-deploy window the new detector reads (`preDeploy: 4h`, the default). */
const preMinutes = 240;
const baselineDays = 7;

/** One watch: the pre-deploy window, the watch, and their seasonal baselines when seasonal. */
type Watch = {
  before: number[];
  after: number[];
  beforeBaseline?: number[];
  baseline?: number[];
};
type Detector = { label: string; firstLook: number; fires: (w: Watch, n: number) => boolean };

/** The minute of a watch at which the detector first fires, or null. */
function firstAlarm(watch: Watch, detector: Detector): number | null {
  for (let n = detector.firstLook; n <= watch.after.length; n++)
    if (detector.fires(watch, n)) return n;
  return null;
}

const gauge = (scenario: Partial<GaugeScenario>): GaugeScenario => ({
  minutes: preMinutes + watchMinutes,
  level: 100,
  noise: 0.011,
  phi: 0.8,
  seasonality: 0,
  startMinute: 0,
  ...scenario,
});

/** A watch from a seed; seasonal: the baseline is the mean of 7 earlier days (each its own noise). */
function watchOf(scenario: GaugeScenario, seed: number): Watch {
  const series = simulateGauge(scenario, seed);
  const watch: Watch = { before: series.slice(0, preMinutes), after: series.slice(preMinutes) };
  if (scenario.seasonality === 0) return watch;
  const days = Array.from({ length: baselineDays }, (_, d) =>
    simulateGauge({ ...scenario, leakPerMinute: 0 }, seed * 31 + 1_000_000 + d),
  );
  const mean = series.map((_, i) => days.reduce((sum, day) => sum + day[i]!, 0) / baselineDays);
  return {
    ...watch,
    beforeBaseline: mean.slice(0, preMinutes),
    baseline: mean.slice(preMinutes),
  };
}

const minusBaseline = (w: Watch, n: number) =>
  w.after.slice(0, n).map((v, i) => (w.baseline === undefined ? v : v - w.baseline[i]! + 100));

const critical = oneSidedCritical(0.001);
const detectors: Detector[] = [
  {
    label: 'window detector (old default)',
    firstLook: 15,
    fires: (w, n) =>
      detectDrift(w.after.slice(0, n), {
        direction: 'increase',
        intervalMs: minute,
        baseline: w.baseline?.slice(0, n),
      }).result === 'degraded',
  },
  {
    label: 'pre-deploy GLS (new default)',
    firstLook: 5,
    fires: (w, n) =>
      detectDriftSinceDeploy(w.after.slice(0, n), {
        direction: 'increase',
        intervalMs: minute,
        before: w.before,
        baseline: w.baseline?.slice(0, n),
        beforeBaseline: w.beforeBaseline,
        looks: watchMinutes,
      }).result === 'degraded',
  },
  {
    label: 'naive Mann–Kendall, α = 0.001',
    firstLook: 15,
    fires: (w, n) => mannKendall(minusBaseline(w, n)).z > critical,
  },
];

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0
    ? '-'
    : String(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]);

export function benchWatch({
  line,
  fmt,
  watches = 600,
}: {
  line: Line;
  fmt: Format;
  watches?: number;
}): void {
  console.log(
    `\n(w) the post-deploy watch: ${fmt(watches)} healthy 2 h watches, every minute (4 h before the deploy for the pre-deploy test)`,
  );
  // First, while the boundaries are not memoized: 50 metrics, each its own series and φ̂.
  const metrics = Array.from({ length: 50 }, (_, i) =>
    watchOf(gauge({ phi: 0.5 + (0.45 * i) / 49 }), 90_000 + i),
  );
  const coldStart = performance.now();
  for (const w of metrics)
    detectDriftSinceDeploy(w.after, {
      direction: 'increase',
      intervalMs: minute,
      before: w.before,
      looks: watchMinutes,
    });
  const coldMs = performance.now() - coldStart;
  const warmStart = performance.now();
  for (const w of metrics)
    detectDriftSinceDeploy(w.after, {
      direction: 'increase',
      intervalMs: minute,
      before: w.before,
      looks: watchMinutes,
    });
  const warmMs = performance.now() - warmStart;
  const oldStart = performance.now();
  for (const w of metrics) detectDrift(w.after, { direction: 'increase', intervalMs: minute });
  const oldMs = performance.now() - oldStart;
  const naiveStart = performance.now();
  for (const w of metrics) mannKendall(w.after);
  const naiveMs = performance.now() - naiveStart;

  const perThirtyDays = (n: number) => 30 * (n / watches) * (1440 / watchMinutes);
  for (const [label, seasonality] of [
    ['AR(1) 0.8, noise 1.1%', 0],
    ['AR(1) 0.8, noise 1.1%, daily ±10%, seasonal baseline (7 days)', 0.1],
  ] as const) {
    const healthy = Array.from({ length: watches }, (_, w) =>
      watchOf(gauge({ seasonality, startMinute: (w * watchMinutes) % 1440 }), 20_000 + w),
    );
    const leaks = Math.max(20, Math.round(watches / 6));
    const leaking = Array.from({ length: leaks }, (_, w) =>
      watchOf(
        gauge({
          seasonality,
          startMinute: (w * watchMinutes) % 1440,
          leakPerMinute: 0.001,
          leakFrom: preMinutes,
        }),
        30_000 + w,
      ),
    );
    console.log(`  ${label}`);
    for (const detector of detectors) {
      const alarms = healthy.filter((w) => firstAlarm(w, detector) !== null).length;
      const delays = leaking
        .map((w) => firstAlarm(w, detector))
        .filter((d): d is number => d !== null)
        .sort((a, b) => a - b);
      line(
        `    ${detector.label}`,
        `${fmt(perThirtyDays(alarms), 1)} false alarms per 30 service-days (${fmt(alarms)} of ${fmt(watches)}); leak of 1%/10 min found ${fmt(delays.length)} of ${fmt(leaks)}, median ${quantile(delays, 0.5)} min, p90 ${quantile(delays, 0.9)}`,
      );
    }
  }
  line('  targets', '≤ 1 false alarm per 30 service-days; leak found within 45 min');
  // The finite-sample AR(1) correction of the window detector (`correction: 'exact'`) at two α:
  // its trade-off between false alarms and delay (STATISTICS.md "Calibration of the drift detector").
  for (const alpha of [0.001, 0.005]) {
    const exact: Detector = {
      label: 'exact',
      firstLook: 15,
      fires: (w, n) =>
        detectDrift(w.after.slice(0, n), {
          direction: 'increase',
          intervalMs: minute,
          correction: 'exact',
          alpha,
        }).result === 'degraded',
    };
    let alarms = 0;
    for (let w = 0; w < watches; w++)
      if (firstAlarm(watchOf(gauge({}), 20_000 + w), exact) !== null) alarms++;
    const leaks = Math.max(20, Math.round(watches / 6));
    const found: number[] = [];
    for (let w = 0; w < leaks; w++) {
      const at = firstAlarm(
        watchOf(gauge({ leakPerMinute: 0.001, leakFrom: preMinutes }), 30_000 + w),
        exact,
      );
      if (at !== null) found.push(at);
    }
    found.sort((a, b) => a - b);
    line(
      `window detector, exact AR(1) correction, α = ${alpha}`,
      `${fmt(perThirtyDays(alarms), 1)} false alarms per 30 service-days; leak found ${fmt(found.length)} of ${fmt(leaks)}, median ${quantile(found, 0.5)}, p90 ${quantile(found, 0.9)} min`,
    );
  }
  benchKpiDrop({ line, fmt });
  line(
    'one evaluation, 50 metrics × 120 points (+ 240 before)',
    `pre-deploy GLS ${fmt(coldMs, 1)} ms with the boundaries computed, ${fmt(warmMs, 1)} ms memoized; window detector ${fmt(oldMs, 1)} ms; naive MK ${fmt(naiveMs, 1)} ms (target ≤ 100 ms)`,
  );
}

/**
 * A business KPI (conversions per session, 10%) against the same minutes of 7 earlier days summed,
 * evaluated every minute of a 2 h watch as the watch's `kpi` detector does
 * (`compareCountsToBaseline`, direction decrease, threshold 5%): false alarms when nothing
 * changed, and the minute a 5% drop from the deploy on is found, at two traffic levels. Binomial
 * counts by the normal approximation (n·p ≥ 200 a minute), seeded.
 */
export function benchKpiDrop({ line, fmt }: { line: Line; fmt: Format }): void {
  const watches = 100;
  const rate = 0.1;
  const minuteCounts = (random: () => number, sessions: number, p: number) => {
    const u = Math.max(random(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(sessions * p + z * Math.sqrt(sessions * p * (1 - p))));
  };
  for (const sessions of [4_000, 2_000]) {
    const outcome = (drop: number, seed: number): number | null => {
      const random = seededRandom(seed);
      const baseline = { events: [] as number[], total: [] as number[] };
      const current = { events: [] as number[], total: [] as number[] };
      for (let m = 0; m < watchMinutes; m++) {
        let events = 0;
        for (let d = 0; d < baselineDays; d++) events += minuteCounts(random, sessions, rate);
        baseline.events.push(events);
        baseline.total.push(sessions * baselineDays);
        current.events.push(minuteCounts(random, sessions, rate * (1 - drop)));
        current.total.push(sessions);
      }
      for (let n = 5; n <= watchMinutes; n++) {
        const finding = compareCountsToBaseline(
          { events: baseline.events.slice(0, n), total: baseline.total.slice(0, n) },
          { events: current.events.slice(0, n), total: current.total.slice(0, n) },
          { direction: 'decrease', threshold: 0.05 },
        );
        if (finding.result === 'degraded') return n;
      }
      return null;
    };
    let alarms = 0;
    const found: number[] = [];
    for (let w = 0; w < watches; w++) {
      if (outcome(0, 70_000 + w) !== null) alarms++;
      const at = outcome(0.05, 80_000 + w);
      if (at !== null) found.push(at);
    }
    found.sort((a, b) => a - b);
    // Over every watch, a drop not found in the 2 h counting as later than any found.
    const over = (q: number) => {
      const at = found[Math.ceil(q * watches) - 1];
      return at === undefined ? 'not found in 2 h' : `${at} min`;
    };
    line(
      `KPI 5% drop, ${fmt(sessions)} sessions/min at 10% conversion`,
      `false alarms ${fmt(alarms)} of ${fmt(watches)} healthy watches; drop found in ${fmt(found.length)} of ${fmt(watches)} within 2 h, median ${over(0.5)}, p90 ${over(0.9)} (target ≤ 60 min)`,
    );
  }
}
