// Bench part (i): the canary judge's calibration, power and speed, each next to its baselines.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CanaryInput, CanaryMetricInput } from '../src/core/canary/canary-input.ts';
import { judgeCanary } from '../src/core/canary/judge-canary.ts';
import { judgeDefaultMetric } from '../src/core/canary/judge-default-metric.ts';
import { judgeKayentaMetric } from '../src/core/canary/kayenta/judge-kayenta-metric.ts';
import { mannWhitneyU } from '../src/core/canary/mann-whitney-u.ts';
import {
  countSeries,
  createRandom,
  latencySeries,
  normalDraw,
  type CountScenario,
  type LatencyScenario,
} from '../src/core/canary/calibration/simulate-canary.ts';

const run = promisify(execFile);

type Line = (label: string, value: string) => void;
type Format = (n: number, digits?: number) => string;

/** A judge under test: true when it flags the canary at this look (a rollback of the metric). */
type Judge = (metric: CanaryMetricInput) => boolean;

const defaultJudge =
  (direction: 'increase' | 'either'): Judge =>
  (metric) =>
    judgeDefaultMetric({ ...metric, direction }, { alpha: 0.01, power: 0.8 }).result === 'fail';

/** Plain Mann-Whitney on the per-interval points, two-sided p < 0.05 (research §0, §4.4). */
const plainMannWhitney: Judge = (metric) => {
  const values = (side: 'baseline' | 'canary') =>
    metric.kind === 'count'
      ? (metric[side]?.events ?? []).map((e, i) => (e ?? 0) / (metric[side]?.total[i] ?? 1))
      : (metric[side] ?? []).map((v) => v ?? Number.NaN);
  const test = mannWhitneyU(values('canary'), values('baseline'));
  return test.ok && test.value.pValue < 0.05;
};

/** NetflixACAJudge (tolerance 0.25, confLevel 0.98), direction either: High or Low. */
const kayenta = (() => {
  const random = createRandom(99);
  return ((metric) => judgeKayentaMetric(metric, random).result === 'fail') satisfies Judge;
})();

const percent = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;

/** The Wilson 95% interval of a rate from `runs` runs, for reading a simulated rate's precision. */
function interval(rate: number, runs: number): string {
  const z = 1.959964;
  const k = (z * z) / runs;
  const center = (rate + k / 2) / (1 + k);
  const spread = Math.sqrt(k * rate * (1 - rate) + (k * k) / 4) / (1 + k);
  return `[${(Math.max(0, center - spread) * 100).toFixed(2)}–${((center + spread) * 100).toFixed(2)}]`;
}

/** The share of runs a judge flags: at the last look only, and at any of looks 10..60. */
function rates(
  runs: number,
  makeRun: () => (t: number) => CanaryMetricInput,
  judge: Judge,
  everyLook: boolean,
) {
  let last = 0;
  let ever = 0;
  for (let r = 0; r < runs; r++) {
    const at = makeRun();
    const atLast = judge(at(60));
    if (atLast) last++;
    if (!everyLook) continue;
    let flagged = atLast;
    for (let t = 10; t < 60 && !flagged; t++) flagged = judge(at(t));
    if (flagged) ever++;
  }
  return { last: last / runs, ever: everyLook ? ever / runs : Number.NaN };
}

function latencyRun(random: () => number, scenario: LatencyScenario) {
  return () => {
    const { baseline, canary } = latencySeries(random, scenario);
    return (t: number): CanaryMetricInput => ({
      name: 'latency',
      kind: 'distribution',
      threshold: 0.1,
      baseline: baseline.slice(0, t),
      canary: canary.slice(0, t),
    });
  };
}

function countRun(random: () => number, scenario: CountScenario) {
  return () => {
    const { baseline, canary } = countSeries(random, scenario);
    const slice = (arm: { events: number[]; total: number[] }, t: number) => ({
      events: arm.events.slice(0, t),
      total: arm.total.slice(0, t),
    });
    return (t: number): CanaryMetricInput => ({
      name: 'errors',
      kind: 'count',
      baseline: slice(baseline, t),
      canary: slice(canary, t),
    });
  };
}

const errorTraffic = {
  intervals: 60,
  requests: 200,
  canaryShare: 0.5,
  errorRate: 0.01,
  dispersion: 0.25,
};

const scenarios: {
  name: string;
  make: (seed: number, change: boolean) => () => (t: number) => CanaryMetricInput;
}[] = [
  ...[0, 0.5, 0.8].map((phi) => ({
    name: `latency, AR(1) φ = ${phi}`,
    make: (seed: number, change: boolean) =>
      latencyRun(createRandom(seed), { intervals: 60, phi, sigma: 0.1, shift: change ? 0.5 : 0 }),
  })),
  {
    name: 'error counts, overdispersed',
    make: (seed, change) =>
      countRun(createRandom(seed), { ...errorTraffic, rateRatio: change ? 3 : 1 }),
  },
  {
    name: 'error counts, bursts (×10)',
    make: (seed, change) =>
      countRun(createRandom(seed), {
        ...errorTraffic,
        rateRatio: change ? 3 : 1,
        burstProbability: 0.05,
        burstFactor: 10,
      }),
  },
];

export async function benchCanary({
  line,
  fmt,
  runs = 2_000,
}: {
  line: Line;
  fmt: Format;
  runs?: number;
}) {
  console.log(
    `\n(i) canary judge: A/A false alarms (${fmt(runs * 2)} runs for candor's judge, ${fmt(Math.min(runs, 500))} for the baselines; latency 10% noise; errors 1%, 200 requests/min per arm), power, speed`,
  );
  const judges: [string, Judge, boolean][] = [
    ['candor default, direction increase', defaultJudge('increase'), true],
    ['candor default, direction either', defaultJudge('either'), true],
    ['plain Mann-Whitney, p < 0.05', plainMannWhitney, true],
    ['kayenta mode (NetflixACAJudge)', kayenta, true],
  ];
  console.log('  A/A false-alarm rate: at 60 intervals / at any of 51 looks (10..60)');
  for (const scenario of scenarios) {
    const cells = judges.map(([name, judge, everyLook], j) => {
      const looks = j >= 2 ? Math.min(runs, 500) : runs * 2; // the baselines are slower per look
      const r = rates(looks, scenario.make(1000 + j, false), judge, everyLook);
      const label = name
        .split(',')[0]!
        .replace('candor default', j === 0 ? 'default↑' : 'default±');
      const precision = j < 2 ? ` ${interval(r.ever, looks)}` : '';
      return `${label}: ${percent(r.last)} / ${percent(r.ever)}${precision}`;
    });
    line(scenario.name, cells.join(' | '));
  }
  line(
    'target: default judge A/A ≤ 1% at every φ',
    'default↑ / default± columns ([Wilson 95% interval of the 51-look rate, %])',
  );

  console.log('  power (3× error rate, +50% latency): at 60 intervals / by interval 60');
  const powerRuns = Math.max(200, Math.floor(runs / 4));
  for (const scenario of scenarios) {
    const cells = judges.slice(0, 1).map(([, judge]) => {
      const r = rates(powerRuns, scenario.make(2000, true), judge, true);
      return `${percent(r.last)} / ${percent(r.ever)}`;
    });
    line(
      `${scenario.name}, candor default`,
      `${cells.join('')} ${scenario.name.includes('burst') ? '(bursts: not a target scenario)' : ''}`,
    );
  }
  for (const sigma of [0.05, 0.2]) {
    const r = rates(
      powerRuns,
      latencyRun(createRandom(2100), { intervals: 60, phi: 0.8, sigma, shift: 0.5 }),
      defaultJudge('increase'),
      true,
    );
    line(
      `latency φ = 0.8, noise ${sigma * 100}% (sensitivity)`,
      `${percent(r.last)} / ${percent(r.ever)}`,
    );
  }
  line('target: power ≥ 95% on both regressions at 60 intervals', 'see above');

  // How often a healthy canary is promoted outright (the cost of never promoting on too little
  // data): the example config (error rate critical with max 2%, latency threshold 10%).
  const promoted = (phi: number, threshold: number) => {
    const random = createRandom(3000);
    let count = 0;
    const n = Math.min(runs, 500);
    for (let r = 0; r < n; r++) {
      const latency = latencyRun(random, { intervals: 60, phi, sigma: 0.1, shift: 0 })()(60);
      const errors = countRun(random, { ...errorTraffic, rateRatio: 1 })()(60);
      const report = judgeCanary({
        metrics: [
          { ...errors, critical: true, max: 0.02 },
          { ...latency, threshold },
        ],
      });
      if (report.verdict === 'promote') count++;
    }
    return count / n;
  };
  for (const threshold of [0.1, 0.25])
    line(
      `A/A promoted at 60 intervals, latency threshold ${threshold * 100}%`,
      [0, 0.5, 0.8].map((phi) => `φ ${phi}: ${percent(promoted(phi, threshold))}`).join(', '),
    );

  benchSpeed(line, fmt);
  await benchColdStart(line, fmt);
}

/** 50 metrics × 10,000 points per arm, by kind and mixed; median of 7 runs after a warm-up. */
function benchSpeed(line: Line, fmt: Format) {
  const random = createRandom(4000);
  const n = 10_000;
  const seriesMetric = (i: number): CanaryMetricInput => {
    const { baseline, canary } = latencySeries(random, {
      intervals: n,
      phi: 0.5,
      sigma: 0.1,
      shift: 0,
    });
    return { name: `latency-${i}`, kind: 'distribution', baseline, canary };
  };
  const countMetric = (i: number): CanaryMetricInput => {
    const { baseline, canary } = countSeries(random, {
      ...errorTraffic,
      intervals: n,
      rateRatio: 1,
    });
    return { name: `errors-${i}`, kind: 'count', baseline, canary };
  };
  const rawMetric = (i: number): CanaryMetricInput => {
    const sample = () => Array.from({ length: n }, () => 0.2 * Math.exp(0.3 * normalDraw(random)));
    return {
      name: `raw-${i}`,
      kind: 'distribution',
      ordered: false,
      baseline: sample(),
      canary: sample(),
    };
  };
  const sets: [string, CanaryMetricInput[]][] = [
    ['series (ordered)', Array.from({ length: 50 }, (_, i) => seriesMetric(i))],
    ['counts', Array.from({ length: 50 }, (_, i) => countMetric(i))],
    [
      'raw samples (Mann-Whitney + Hodges-Lehmann)',
      Array.from({ length: 50 }, (_, i) => rawMetric(i)),
    ],
  ];
  const mixed = [
    ...sets[0]![1].slice(0, 20),
    ...sets[1]![1].slice(0, 20),
    ...sets[2]![1].slice(0, 10),
  ];
  sets.push(['mixed 20 series + 20 counts + 10 raw', mixed]);
  console.log('  time to judge 50 metrics × 10,000 points per arm (median of 7)');
  for (const [name, metrics] of sets) {
    for (const mode of ['default', 'kayenta'] as const) {
      if (mode === 'kayenta' && name !== 'mixed 20 series + 20 counts + 10 raw') continue;
      const input: CanaryInput = { metrics };
      judgeCanary(input, { mode });
      const times: number[] = [];
      for (let k = 0; k < 7; k++) {
        const started = performance.now();
        judgeCanary(input, { mode });
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const median = times[3]!;
      line(
        `${mode} mode, ${name}`,
        `${fmt(median, 1)} ms${mode === 'default' ? (median <= 50 ? ' (target ≤ 50 ms: met)' : ' (target ≤ 50 ms: MISSED)') : ''}`,
      );
    }
  }
}

/**
 * The cold start of `candor canary judge --input FILE` (three metrics' worth of one latency
 * series), as users run it: the real launcher with its heap flags on the sources (Node strips
 * the types at load), the published bundle when `npm run build` made one, the judge core alone
 * (a fresh Node process importing only src/core/canary), and an empty Node process: medians of 5.
 */
async function benchColdStart(line: Line, fmt: Format) {
  const dir = mkdtempSync(join(tmpdir(), 'candor-canary-'));
  try {
    const input = join(dir, 'input.json');
    const random = createRandom(5000);
    const { baseline, canary } = latencySeries(random, {
      intervals: 60,
      phi: 0.5,
      sigma: 0.1,
      shift: 0,
    });
    writeFileSync(
      input,
      JSON.stringify({ metrics: [{ name: 'latency', kind: 'distribution', baseline, canary }] }),
    );
    const script = join(dir, 'judge.ts');
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';\nimport { parseCanaryInput } from ${JSON.stringify(join(import.meta.dirname, '../src/core/canary/canary-input.ts'))};\nimport { judgeCanary } from ${JSON.stringify(join(import.meta.dirname, '../src/core/canary/judge-canary.ts'))};\nconst parsed = parseCanaryInput(JSON.parse(readFileSync(process.argv[2], 'utf8')));\nif (!parsed.ok) process.exit(2);\nprocess.stdout.write(judgeCanary(parsed.value).verdict);\n`,
    );
    const median = async (args: string[]) => {
      const times: number[] = [];
      for (let k = 0; k < 5; k++) {
        const started = performance.now();
        // Exit 3 (inconclusive) is an answer, not a failure.
        await run(process.execPath, args).catch(() => undefined);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2]!;
    };
    const launcher = join(import.meta.dirname, '../bin/candor.js');
    const bundle = join(import.meta.dirname, '../dist/candor.js');
    const flags = ['--max-semi-space-size=2', '--max-old-space-size=256'];
    const empty = await median(['-e', '']);
    const verdictOf = (ms: number) =>
      ms <= 300 ? 'target ≤ 300 ms: met' : 'target ≤ 300 ms: MISSED';
    const fromSources = await median([...flags, launcher, 'canary', 'judge', '--input', input]);
    line(
      'cold start: candor canary judge (bin/candor.js, sources)',
      `${fmt(fromSources, 0)} ms (${verdictOf(fromSources)}; empty node process: ${fmt(empty, 0)} ms)`,
    );
    if (existsSync(bundle)) {
      const bundled = await median([...flags, bundle, 'canary', 'judge', '--input', input]);
      line(
        'cold start: candor canary judge (dist/candor.js, published bundle)',
        `${fmt(bundled, 0)} ms (${verdictOf(bundled)})`,
      );
    } else line('cold start: candor canary judge (dist/candor.js)', 'not built (npm run build)');
    const core = await median([script, input]);
    line('cold start: node + judge core + one file', `${fmt(core, 0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
