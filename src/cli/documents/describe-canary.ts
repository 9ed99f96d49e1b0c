import type { CanaryMetricReport, CanaryReport } from '../../core/canary/canary-report.ts';
import type { Block, Cell, Document } from '../render/renderer.ts';

const icons = { promote: '✅', rollback: '❌', inconclusive: '⚠️' } as const;
const marks = { pass: '✓', fail: '✗', inconclusive: '?' } as const;

/** A relative change (0.123) as `+12.3%`; `n/a` when unknown. */
function signedPercent(share: number | null): string {
  if (share === null) return 'n/a';
  const text = `${(share * 100).toFixed(1)}%`;
  return share > 0 ? `+${text}` : text;
}

function number(value: number | null): string {
  if (value === null) return 'n/a';
  return Math.abs(value) >= 1000 || value === Math.trunc(value)
    ? String(Math.round(value * 1000) / 1000)
    : value.toPrecision(3);
}

/** The effect with its interval: relative in default mode, the metric's unit in kayenta mode. */
function effectOf(metric: CanaryMetricReport, mode: CanaryReport['mode']): string {
  const show = mode === 'default' ? signedPercent : number;
  const { estimate, low, high } = metric.effect;
  if (estimate === null && low === null && high === null) return 'n/a';
  return `${show(estimate)} [${show(low)}, ${show(high)}]`;
}

function pValueOf(metric: CanaryMetricReport): string {
  if (metric.pValue === null) return 'n/a';
  return metric.pValue < 0.0001 ? '<0.0001' : metric.pValue.toFixed(4);
}

/**
 * `candor canary judge` and `candor canary analyze`: the verdict first (read in ten seconds),
 * its reasons, then one row a metric: result, the change with its interval, the p-value, the
 * smallest change the data could detect, and why. Plain output writes the verdict as one line,
 * a `✗`/`?` line per failing or inconclusive metric, and the table.
 */
export function describeCanary(report: CanaryReport, context: { window?: string } = {}): Document {
  const headline = `canary: ${report.verdict} (score ${Math.round(report.score)}/100, ${report.mode} mode${context.window ? `, ${context.window}` : ''})`;
  const rows: Cell[][] = report.metrics.map((m) => [
    m.critical ? `${m.name} (critical)` : m.name,
    report.mode === 'kayenta' && m.classification !== undefined
      ? `${marks[m.result]} ${m.result} (${m.classification})`
      : `${marks[m.result]} ${m.result}`,
    effectOf(m, report.mode),
    pValueOf(m),
    m.minimumDetectableEffect === null ? 'n/a' : signedPercent(m.minimumDetectableEffect),
    m.reason,
  ]);
  const columns = [
    { header: 'metric' },
    { header: 'result' },
    { header: report.mode === 'default' ? 'change [interval]' : 'shift [interval]' },
    { header: 'p', align: 'right' as const },
    { header: 'detectable', align: 'right' as const },
    { header: 'reason' },
  ];
  const blocks: Block[] = [
    { kind: 'heading', level: 3, only: 'rich', text: `${icons[report.verdict]} ${headline}` },
    { kind: 'paragraph', only: 'plain', text: headline },
  ];
  if (report.reasons.length > 0) blocks.push({ kind: 'list', items: report.reasons });
  blocks.push({ kind: 'table', columns, rows });
  return { blocks };
}
