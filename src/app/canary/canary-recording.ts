import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanaryConfig } from '../../config/canary-config.ts';
import { CanaryManifest, canaryManifestFile } from '../../core/canary/canary-manifest.ts';
import type { CanaryVerdict, MetricResult } from '../../core/canary/canary-report.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import { analyzeCanary, type CanaryAnalysis, type CanaryLabels } from './analyze-canary.ts';
import { openCanarySource } from './open-canary-source.ts';

/**
 * Writes `DIR/analysis.json` after a `--record DIR` analysis: its labels, window, mode, verdict
 * and each metric's result. Throws CandorError `io` when it cannot be written.
 */
export function writeCanaryManifest(
  dir: string,
  analysis: CanaryAnalysis,
  labels: CanaryLabels,
): void {
  const manifest: CanaryManifest = {
    version: 1,
    labels,
    window: { start: analysis.window.start, end: analysis.window.end },
    mode: analysis.report.mode,
    verdict: analysis.report.verdict,
    metrics: analysis.report.metrics.map((m) => ({ name: m.name, result: m.result })),
  };
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, canaryManifestFile), `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (error) {
    throw new CandorError('io', `cannot record into ${dir}: ${messageOf(error)}`, { cause: error });
  }
}

/** A recorded analysis judged again with today's `canary:` configuration. */
export type CanaryReplay =
  | {
      ok: true;
      recorded: CanaryVerdict;
      replayed: CanaryVerdict;
      /** Metrics whose result differs (a metric absent on one side is `absent`). */
      changed: { metric: string; from: MetricResult | 'absent'; to: MetricResult | 'absent' }[];
    }
  | { ok: false; reason: string };

/**
 * Judges the recording in `dir` (its `analysis.json` and answers) again with `config`'s metrics,
 * thresholds and mode over the recorded window and labels, offline. An unreadable or invalid manifest
 * is a reason, not an error; queries the recording lacks are inconclusive, as in `--replay`.
 */
export async function replayCanaryRecording(options: {
  dir: string;
  config: CanaryConfig;
  cwd: string;
}): Promise<CanaryReplay> {
  const path = join(options.dir, canaryManifestFile);
  let manifest: CanaryManifest;
  try {
    const parsed = CanaryManifest.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success)
      return {
        ok: false,
        reason: `${path}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      };
    manifest = parsed.data;
  } catch (error) {
    return { ok: false, reason: `${path}: ${messageOf(error)}` };
  }
  const analysis = await analyzeCanary({
    config: options.config,
    labels: manifest.labels,
    start: new Date(manifest.window.start),
    end: new Date(manifest.window.end),
    client: openCanarySource({
      config: options.config,
      env: {},
      cwd: options.cwd,
      replay: options.dir,
    }),
  });
  const before = new Map(manifest.metrics.map((m) => [m.name, m.result] as const));
  const after = new Map(analysis.report.metrics.map((m) => [m.name, m.result] as const));
  const names = [...new Set([...before.keys(), ...after.keys()])];
  return {
    ok: true,
    recorded: manifest.verdict,
    replayed: analysis.report.verdict,
    changed: names.flatMap((metric) => {
      const from = before.get(metric) ?? 'absent';
      const to = after.get(metric) ?? 'absent';
      return from === to ? [] : [{ metric, from, to }];
    }),
  };
}
