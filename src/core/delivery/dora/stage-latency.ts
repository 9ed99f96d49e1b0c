import { round } from '../../lib/round.ts';
import { quantilesInPlace } from '../../lib/stats.ts';
import { toSeconds } from '../../lib/time.ts';
import {
  eventKinds,
  pipelineStages,
  type DeliveryEventType,
  type PipelineStage,
} from '../event-kinds.ts';
import { isInWindow, type DoraOptions } from './dora-options.ts';
import { isInEnvironment, type LedgerEvent } from './ledger-event.ts';

/** p50 and p90, in seconds, of the time from one stage to the next one a change went through. */
export type StageLatency = {
  from: DeliveryEventType;
  to: DeliveryEventType;
  p50: number | null;
  p90: number | null;
  count: number;
};

declare const stageSpanBrand: unique symbol;
/** A pair of pipeline stages (from, to) as one map key: `stageSpanKey` makes one, `stagesOf` reads it. */
export type StageSpanKey = number & { readonly [stageSpanBrand]: true };

/** Time between consecutive stages, in seconds, by pair of stages. */
export type StageSpans = Map<StageSpanKey, number[] | Float64Array>;

const stageIndex = new Map(pipelineStages.map((stage, i) => [stage, i]));

/** The key of the span from the stage at index `from` to the stage at index `to`. */
function stageSpanKey(from: number, to: number): StageSpanKey {
  return (from * pipelineStages.length + to) as StageSpanKey;
}

/** The stage indexes of a span key. */
function stagesOf(key: StageSpanKey): { from: number; to: number } {
  return { from: Math.floor(key / pipelineStages.length), to: key % pipelineStages.length };
}

/** The first time of each stage of each change of one service, from its events in replay order. */
export type StageTimes = {
  /** Takes events that carry a commit and mark a stage; ignores the others. */
  add(event: LedgerEvent): void;
  /** The spans between consecutive stages each change went through, ending in the window. */
  spans(): StageSpans;
};

/**
 * Keeps, per commit, the first time of each stage it reached (DEFINITIONS.md "stage latency"):
 * the stage an event marks comes from `eventKinds`, and a stage marked by a deployment event
 * counts only in `options.environment`. A span between consecutive stages counts in the window
 * its later stage falls in. Pure; never throws.
 */
export function createStageTimes(
  options: Pick<DoraOptions, 'from' | 'to' | 'environment'>,
): StageTimes {
  // Pairs of (stage index, first time) per commit, in the order the stages first appeared:
  // most changes reach only a few stages, so this stays small.
  const times = new Map<string, number[]>();
  return {
    add(event) {
      if (event.commit === null) return;
      const kind = eventKinds[event.type];
      if (kind.stage === null) return;
      if (kind.belongsToDeployment && !isInEnvironment(event, options.environment)) return;
      const index = stageIndex.get(kind.stage) as number;
      const pairs = times.get(event.commit);
      if (!pairs) times.set(event.commit, [index, event.at]);
      else if (!hasStage(pairs, index)) pairs.push(index, event.at);
    },
    spans: () => stageSpans(times, options),
  };
}

function hasStage(pairs: readonly number[], stage: number): boolean {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === stage) return true;
  return false;
}

/**
 * Spans between consecutive stages each change went through, in pipeline order (a pipeline may
 * skip a stage; a negative span, a later stage seen first, is left out), that end in the window.
 */
function stageSpans(
  stageTimes: ReadonlyMap<string, number[]>,
  window: Pick<DoraOptions, 'from' | 'to'>,
): StageSpans {
  const spans = new Map<StageSpanKey, number[]>();
  const times = new Array<number>(pipelineStages.length);
  for (const pairs of stageTimes.values()) {
    if (pairs.length < 4) continue; // one stage: no span
    times.fill(NaN);
    for (let i = 0; i < pairs.length; i += 2) times[pairs[i] as number] = pairs[i + 1] as number;
    let previous = -1;
    for (let i = 0; i < times.length; i++) {
      if (Number.isNaN(times[i])) continue;
      if (previous >= 0) {
        const span = (times[i] as number) - (times[previous] as number);
        if (span >= 0 && isInWindow(times[i] as number, window)) {
          const key = stageSpanKey(previous, i);
          const list = spans.get(key);
          if (list) list.push(toSeconds(span));
          else spans.set(key, [toSeconds(span)]);
        }
      }
      previous = i;
    }
  }
  return spans;
}

/** The spans of several services together (copies: the inputs are left as they are). */
export function mergeStageSpans(parts: readonly StageSpans[]): StageSpans {
  const lengths = new Map<StageSpanKey, number>();
  for (const spans of parts)
    for (const [key, values] of spans) lengths.set(key, (lengths.get(key) ?? 0) + values.length);
  const merged: StageSpans = new Map();
  const filled = new Map<StageSpanKey, number>();
  for (const spans of parts)
    for (const [key, values] of spans) {
      let list = merged.get(key) as Float64Array | undefined;
      if (list === undefined) merged.set(key, (list = new Float64Array(lengths.get(key) ?? 0)));
      const at = filled.get(key) ?? 0;
      list.set(values, at);
      filled.set(key, at + values.length);
    }
  return merged;
}

/**
 * Stage latency from spans: p50 and p90 (type 7 quantiles, rounded to 3 decimals) and the count
 * per pair of stages, in pipeline order of `from`, then `to`.
 * Never throws.
 */
export function summariseStageSpans(spans: StageSpans): StageLatency[] {
  return [...spans]
    .sort(([a], [b]) => a - b)
    .map(([key, values]) => {
      const { from, to } = stagesOf(key);
      // Reordered in place: a merged list is the summary's own (`mergeStageSpans` copies).
      const own = values instanceof Float64Array ? values : Float64Array.from(values);
      const [p50, p90] = quantilesInPlace(own, [0.5, 0.9]) as [number, number];
      return {
        from: pipelineStages[from] as PipelineStage,
        to: pipelineStages[to] as PipelineStage,
        p50: round(p50, 3),
        p90: round(p90, 3),
        count: own.length,
      };
    });
}

/**
 * Spans as the projections hold them (docs/adr/0044): per pair of stage indexes (into
 * `pipelineStages`), the spans in seconds; pairs without spans are left out. Never throws.
 */
export function stageSpansOfPairs(
  pairs: Iterable<{ from: number; to: number; seconds: number[] | Float64Array }>,
): StageSpans {
  const spans: StageSpans = new Map();
  for (const { from, to, seconds } of pairs)
    if (seconds.length > 0) spans.set(stageSpanKey(from, to), seconds);
  return spans;
}
