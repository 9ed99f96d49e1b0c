// Bench part (w): the post-deploy watch's drift detector against naive Mann-Kendall: false alarms
// on healthy watches, detection delay of a leak, and the time of one evaluation of 50 metrics.
import { simulateGauge, type GaugeScenario } from '../src/core/watch/calibration/simulate-watch.ts';
import { detectDrift } from '../src/core/watch/detect-drift.ts';
import { mannKendall } from '../src/core/watch/mann-kendall.ts';
import { oneSidedCritical } from '../src/core/watch/detect-drift.ts';

type Line = (label: string, value: string) => void;
type Format = (n: number, digits?: number) => string;

const minute = 60_000;
const watchMinutes = 120;
const firstLook = 15;

/** The minute of a watch at which `fires` first says yes, or null. */
function firstAlarm(
  series: readonly number[],
  fires: (window: number[]) => boolean,
): number | null {
  for (let n = firstLook; n <= series.length; n++) if (fires(series.slice(0, n))) return n;
  return null;
}

export function benchWatch({
  line,
  fmt,
  watches = 600,
}: {
  line: Line;
  fmt: Format;
  watches?: number;
}): void {
  console.log(`\n(w) the post-deploy watch: ${fmt(watches)} healthy 2 h watches, every minute`);
  const drift = (window: number[]) =>
    detectDrift(window, { direction: 'increase', intervalMs: minute }).result === 'degraded';
  const critical = oneSidedCritical(0.001);
  const naive = (window: number[]) => mannKendall(window).z > critical;
  for (const [label, scenario] of [
    [
      'AR(1) 0.8, noise 1.1%',
      { minutes: watchMinutes, level: 100, noise: 0.011, phi: 0.8, seasonality: 0, startMinute: 0 },
    ],
    [
      'AR(1) 0.8, noise 1.1%, daily ±10%',
      {
        minutes: watchMinutes,
        level: 100,
        noise: 0.011,
        phi: 0.8,
        seasonality: 0.1,
        startMinute: 0,
      },
    ],
  ] as [string, GaugeScenario][]) {
    let ours = 0;
    let theirs = 0;
    for (let w = 0; w < watches; w++) {
      const series = simulateGauge(
        { ...scenario, startMinute: (w * watchMinutes) % 1440 },
        20_000 + w,
      );
      if (firstAlarm(series, drift) !== null) ours++;
      if (firstAlarm(series, naive) !== null) theirs++;
    }
    const perDay = (n: number) => (n / watches) * (1440 / watchMinutes);
    line(
      `${label}: watches with a false alarm`,
      `${fmt(ours)} (${fmt((100 * ours) / watches, 1)}%) vs naive MK ${fmt(theirs)} (${fmt((100 * theirs) / watches, 1)}%)`,
    );
    line(
      `  false alarms per 30 service-days`,
      `${fmt(30 * perDay(ours), 1)} vs naive ${fmt(30 * perDay(theirs), 1)} (target ≤ 1)`,
    );
  }
  const leaks = Math.max(20, Math.round(watches / 6));
  const delays: number[] = [];
  for (let w = 0; w < leaks; w++) {
    const series = simulateGauge(
      {
        minutes: watchMinutes,
        level: 100,
        noise: 0.011,
        phi: 0.8,
        seasonality: 0,
        startMinute: 0,
        leakPerMinute: 0.001,
      },
      30_000 + w,
    );
    const at = firstAlarm(series, drift);
    if (at !== null) delays.push(at);
  }
  delays.sort((a, b) => a - b);
  line('leak of 1% per 10 min: found', `${fmt(delays.length)} of ${fmt(leaks)} within 2 h`);
  line(
    '  minutes to find (median, 90th percentile)',
    `${delays[delays.length >> 1] ?? '-'}, ${delays[Math.floor(delays.length * 0.9)] ?? '-'} (target ≤ 45)`,
  );
  // The finite-sample AR(1) correction (`correction: 'exact'`) at two α: the trade-off between
  // false alarms and delay (STATISTICS.md "Calibration of the drift detector").
  for (const alpha of [0.001, 0.005]) {
    const exact = (window: number[]) =>
      detectDrift(window, { direction: 'increase', intervalMs: minute, correction: 'exact', alpha })
        .result === 'degraded';
    let alarms = 0;
    for (let w = 0; w < watches; w++) {
      const healthy = simulateGauge(
        {
          minutes: watchMinutes,
          level: 100,
          noise: 0.011,
          phi: 0.8,
          seasonality: 0,
          startMinute: 0,
        },
        20_000 + w,
      );
      if (firstAlarm(healthy, exact) !== null) alarms++;
    }
    const found: number[] = [];
    for (let w = 0; w < leaks; w++) {
      const leaking = simulateGauge(
        {
          minutes: watchMinutes,
          level: 100,
          noise: 0.011,
          phi: 0.8,
          seasonality: 0,
          startMinute: 0,
          leakPerMinute: 0.001,
        },
        30_000 + w,
      );
      const at = firstAlarm(leaking, exact);
      if (at !== null) found.push(at);
    }
    found.sort((a, b) => a - b);
    line(
      `exact AR(1) correction, α = ${alpha}: false alarms`,
      `${fmt(30 * (alarms / watches) * (1440 / watchMinutes), 1)} per 30 service-days; leak found ${fmt(found.length)} of ${fmt(leaks)}, median ${found[found.length >> 1] ?? '-'}, p90 ${found[Math.floor(found.length * 0.9)] ?? '-'} min`,
    );
  }
  const series = simulateGauge(
    { minutes: watchMinutes, level: 100, noise: 0.011, phi: 0.8, seasonality: 0, startMinute: 0 },
    1,
  );
  const naiveStart = performance.now();
  for (let i = 0; i < 50; i++) mannKendall(series);
  const naiveMs = performance.now() - naiveStart;
  const start = performance.now();
  for (let i = 0; i < 50; i++) detectDrift(series, { direction: 'increase', intervalMs: minute });
  const ms = performance.now() - start;
  line(
    'one evaluation, 50 metrics × 120 points',
    `${fmt(ms, 1)} ms (naive MK alone ${fmt(naiveMs, 1)} ms, ${fmt(ms / naiveMs, 1)}x; target ≤ 100 ms)`,
  );
}
