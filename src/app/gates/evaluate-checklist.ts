import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { GateEntry } from '../../config/gates-config.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import type {
  Evidence,
  GateContext,
  GateLocation,
  GateResult,
  GateValue,
} from '../../gates/gate-condition.ts';
import { gateConditions, isGateConditionKind } from '../../gates/gate-conditions.ts';

/** One entry's outcome, as `candor gate --json` prints it (README "candor gate"). */
export type GateConditionResult = {
  name: string;
  kind: string;
  result: GateResult;
  value: GateValue;
  threshold: GateValue;
  /** The evidence files read, repository-relative. */
  evidence: string[];
  message: string;
  /** `block` or `warn` (an entry with `enforce: warn` never blocks). */
  enforce: 'block' | 'warn';
  locations: GateLocation[];
};

/** A checklist's outcome: `fail` when an entry that blocks failed, else `warn` when any warned. */
export type ChecklistResult = {
  checklist: string;
  result: GateResult;
  conditions: GateConditionResult[];
};

/**
 * Where entries may be gathered apart from this thread (a worker thread: `gatherInWorker`).
 * An entry goes there when its condition declares `isolatedEvidence`, the checklist has other
 * entries to gather meanwhile, and its files exist and hold at least `minBytes` (below that,
 * starting a thread costs more than it saves).
 */
export type GatherApart = {
  minBytes: number;
  /** Gathers one entry apart; `signal` aborts when the checklist fails before it is needed. */
  gather(kind: string, options: unknown, signal: AbortSignal): Promise<Evidence<unknown>>;
  /** Called once every entry that goes apart has been handed to `gather` (none may have). */
  onStarted?(): void;
};

/**
 * Runs every entry of a checklist: gathers its evidence through `context`, lets the condition
 * decide, and applies what every kind shares (no evidence and unreadable evidence fail; `enforce:
 * warn` turns a fail into a warning). Entries run one after another, in the checklist's order;
 * with `apart`, the large isolated ones are started first, elsewhere, and the others gathered
 * here meanwhile (docs/adr/0045): the results are the same, in the same order.
 * Throws CandorError only for operational failures of the context (a file that exists but cannot
 * be read, the database); with several failures, the first entry's in checklist order.
 */
export async function evaluateChecklist(
  checklist: string,
  entries: readonly GateEntry[],
  context: GateContext,
  apart?: GatherApart,
): Promise<ChecklistResult> {
  const stop = new AbortController();
  const started =
    apart === undefined || entries.length < 2
      ? []
      : await Promise.all(entries.map((entry) => startApart(entry, context, apart, stop.signal)));
  apart?.onStarted?.();
  // A rejection is awaited in its turn below, not reported as unhandled before it.
  for (const apartOne of started) apartOne?.pending.catch(() => undefined);
  // The entries gathered here run one after another while those apart run; then every entry is
  // judged in order. An error is the first in checklist order, as if all ran here in turn.
  const gathered: Promise<Evidence<unknown>>[] = [];
  for (const [index, entry] of entries.entries()) {
    const apartOne = started[index];
    if (apartOne !== undefined) {
      gathered.push(apartOne.pending);
      continue;
    }
    try {
      gathered.push(Promise.resolve(await conditionOf(entry).gather(entry.options, context)));
    } catch (error) {
      try {
        for (const earlier of gathered) await earlier;
      } finally {
        // What is still gathering apart is not needed any more.
        stop.abort();
      }
      throw error;
    }
  }
  const conditions: GateConditionResult[] = [];
  try {
    for (const [index, entry] of entries.entries())
      conditions.push(
        judgeEntry(entry, await (gathered[index] as Promise<Evidence<unknown>>), context),
      );
  } finally {
    stop.abort();
  }
  const result: GateResult = conditions.some((c) => c.result === 'fail')
    ? 'fail'
    : conditions.some((c) => c.result === 'warn')
      ? 'warn'
      : 'pass';
  return { checklist, result, conditions };
}

function conditionOf(entry: GateEntry) {
  if (!isGateConditionKind(entry.kind))
    throw new Error(`unregistered gate condition ${entry.kind}`);
  return gateConditions[entry.kind];
}

/**
 * The entry's gather started apart, when it qualifies (`GatherApart`); else undefined. (Wrapped:
 * an async function returning the promise itself would wait for it.)
 */
async function startApart(
  entry: GateEntry,
  context: GateContext,
  apart: GatherApart,
  signal: AbortSignal,
): Promise<{ pending: Promise<Evidence<unknown>> } | undefined> {
  const patterns = conditionOf(entry).isolatedEvidence?.(entry.options);
  if (patterns === undefined || patterns.length === 0) return undefined;
  let bytes = 0;
  try {
    const files = await context.findFiles(patterns);
    // No file: "no evidence", said at once here.
    if (files.length === 0) return undefined;
    for (const file of files)
      bytes += (await stat(isAbsolute(file) ? file : join(context.root, file))).size;
  } catch {
    // Gathered here, in its turn, which reports what is wrong as before.
    return undefined;
  }
  return bytes >= apart.minBytes
    ? { pending: apart.gather(entry.kind, entry.options, signal) }
    : undefined;
}

function judgeEntry(
  entry: GateEntry,
  evidence: Evidence<unknown>,
  context: GateContext,
): GateConditionResult {
  const condition = conditionOf(entry);
  const name = entry.name ?? condition.label(entry.options);
  const base = { name, kind: entry.kind, enforce: entry.enforce };
  const soften = (result: GateResult): GateResult =>
    result === 'fail' && entry.enforce === 'warn' ? 'warn' : result;
  switch (evidence.kind) {
    case 'missing':
      return {
        ...base,
        result: soften('fail'),
        value: null,
        threshold: null,
        evidence: [...evidence.files],
        message: `no evidence: ${evidence.expected}`,
        locations: [],
      };
    case 'invalid':
      return {
        ...base,
        result: soften('fail'),
        value: null,
        threshold: null,
        evidence: [...evidence.files],
        message: `invalid evidence: ${evidence.problems
          .slice(0, 3)
          .map((p) => formatProblem(p, p.file))
          .join(
            '; ',
          )}${evidence.problems.length > 3 ? ` (and ${evidence.problems.length - 3} more)` : ''}`,
        locations: evidence.problems
          .filter((p) => p.file !== undefined)
          .slice(0, 50)
          .map((p) => ({ file: p.file as string, line: p.line, message: p.message })),
      };
    case 'found': {
      const verdict = condition.evaluate(evidence.value, entry.options, context.now);
      return {
        ...base,
        result: soften(verdict.result),
        value: verdict.value,
        threshold: verdict.threshold,
        evidence: [...evidence.files],
        message: verdict.message,
        locations: [...(verdict.locations ?? [])],
      };
    }
  }
}
