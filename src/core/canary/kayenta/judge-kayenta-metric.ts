import type { CanaryMetricInput } from '../canary-input.ts';
import type { CanaryMetricReport, MetricResult } from '../canary-report.ts';
import { summarizeCounts, summarizeValues } from '../summarize-side.ts';
import {
  classifyKayentaMetric,
  transformKayentaMetric,
  type KayentaLabel,
} from './classify-kayenta-metric.ts';
import { resolveKayentaOptions } from './kayenta-options.ts';

const results: Readonly<Record<KayentaLabel, MetricResult>> = {
  Pass: 'pass',
  High: 'fail',
  Low: 'fail',
  NodataFailMetric: 'fail',
  Nodata: 'inconclusive',
  Error: 'inconclusive',
};

export type KayentaMetricReport = CanaryMetricReport & {
  classification: KayentaLabel;
  muted: boolean;
};

/**
 * Judges one metric as NetflixACAJudge.classifyMetric does (its options from `metric.kayenta`,
 * direction and critical from the metric when Kayenta's keys leave them out): the values as
 * Kayenta sees them (per-interval rates events/total for `count`, NaN where total is 0), its
 * transforms, then its classifier. A source error is Nodata. Result: Pass → pass; High, Low,
 * NodataFailMetric → fail; Nodata, Error → inconclusive. `critical` is Kayenta's result flag.
 * `random` draws Kayenta's tie-breaking noise. Never throws.
 */
export function judgeKayentaMetric(
  metric: CanaryMetricInput,
  random: () => number,
): KayentaMetricReport {
  const options = resolveKayentaOptions({
    ...metric.kayenta,
    direction: metric.kayenta?.direction ?? metric.direction ?? 'either',
    critical: metric.kayenta?.critical ?? metric.critical ?? false,
  });
  const control = metric.error === undefined ? valuesOf(metric, 'baseline') : [];
  const experiment = metric.error === undefined ? valuesOf(metric, 'canary') : [];
  const classified = classifyKayentaMetric(
    metric.name,
    transformKayentaMetric(control, options),
    transformKayentaMetric(experiment, options),
    options,
    random,
  );
  const label = classified.classification;
  const summary =
    metric.kind === 'count'
      ? { baseline: summarizeCounts(metric.baseline), canary: summarizeCounts(metric.canary) }
      : { baseline: summarizeValues(metric.baseline), canary: summarizeValues(metric.canary) };
  const test = classified.test;
  return {
    name: metric.name,
    kind: metric.kind,
    group: metric.group ?? metric.name,
    critical: classified.critical,
    result: results[label],
    classification: label,
    muted: options.muted,
    test:
      options.classifier === 'meanInequality'
        ? 'Kayenta MeanInequalityClassifier'
        : `Kayenta MannWhitneyClassifier (tolerance ${options.tolerance}, confLevel ${options.confLevel}, effect size ${options.effectSizeMeasure})`,
    pValue: null,
    effect: test
      ? { estimate: test.estimate, low: test.low, high: test.high }
      : { estimate: null, low: null, high: null },
    minimumDetectableEffect: null,
    threshold: null,
    ...summary,
    reason:
      metric.error !== undefined
        ? `the source failed: ${metric.error}`
        : (classified.reason ?? `${metric.name} was classified as ${label}`),
    details: {
      deviation: Number.isFinite(classified.deviation) ? classified.deviation : null,
      effectSize: test && Number.isFinite(test.effectSize) ? test.effectSize : null,
      direction: options.direction,
      nanStrategy: options.nanStrategy,
    },
  };
}

/** The values Kayenta would receive: NaN for null, rates for counts. */
function valuesOf(metric: CanaryMetricInput, side: 'baseline' | 'canary'): number[] {
  if (metric.kind !== 'count') return (metric[side] ?? []).map((v) => v ?? Number.NaN);
  const counts = metric[side];
  if (!counts) return [];
  return counts.events.map((e, i) => {
    const n = counts.total[i];
    return typeof e === 'number' && typeof n === 'number' && n > 0 ? e / n : Number.NaN;
  });
}
