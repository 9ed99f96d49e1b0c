import type { z } from 'zod';
import type { Problem } from '../core/lib/problem.ts';

/**
 * The gate-condition family (docs/adr/0020-release-gates.md): one folder per kind of condition a
 * checklist under `gates:` in candor.yml may hold (`coverage`, `todo`, `secrets`, …). A condition
 * is two steps, kept apart so that the decision is pure:
 *
 * 1. `gather(options, context)` collects the evidence through the `GateContext` port (files of
 *    the repository, the merge-base diff, the delivery ledger, the test verdict). It reads, and
 *    decides nothing. Evidence that is absent is a value (`missing`), never a pass; evidence that
 *    cannot be read is a value too (`invalid`, with problems naming file:line:column).
 * 2. `evaluate(evidence, options, now)` decides: pure, no I/O, time passed in.
 *
 * The app layer (`app/gates/evaluate-checklist.ts`) runs both for every entry of a checklist and
 * applies what is common to all kinds: `missing` and `invalid` fail with "no evidence: …" and
 * "invalid evidence: …", and an entry with `enforce: warn` turns its `fail` into `warn`.
 */

/** What a condition or a checklist comes to: `warn` never blocks, `fail` blocks. */
export const gateResults = ['pass', 'warn', 'fail'] as const;
export type GateResult = (typeof gateResults)[number];

/** A measured value or a threshold as the results show it: a number, a short text, or none. */
export type GateValue = number | string | null;

/** A place in a file a result points at (GitHub annotations, GitLab code quality). */
export type GateLocation = {
  /** Repository-relative, with `/`. */
  file: string;
  line?: number | undefined;
  message: string;
};

/** What `evaluate` decides for one entry. */
export type ConditionVerdict = {
  result: GateResult;
  /** What was measured (`87.5`, `3 new`, `expires in 9 days`), or null when nothing applies. */
  value: GateValue;
  /** What it was measured against (`90`, `0`, `14 days`), or null. */
  threshold: GateValue;
  /** One sentence a person reads in ten seconds: what passed or failed, and by how much. */
  message: string;
  /** Places to annotate (a failing line, an expired secret's entry); at most a few hundred. */
  locations?: readonly GateLocation[] | undefined;
};

/**
 * What `gather` found. `files` are the evidence files read (repository-relative), which the
 * results name. `missing.expected` completes "no evidence: …": what was expected, and where
 * (`coverage records for src/payments/** in coverage/lcov.info`).
 */
export type Evidence<T> =
  | { kind: 'found'; value: T; files: readonly string[] }
  | { kind: 'missing'; expected: string; files: readonly string[] }
  | { kind: 'invalid'; problems: readonly EvidenceProblem[]; files: readonly string[] };

/** A problem of an evidence file, with the file it is in (repository-relative). */
export type EvidenceProblem = Problem & { file?: string | undefined };

/** A line added since the merge-base. */
export type AddedLine = { line: number; text: string };

/**
 * The diff of the working tree against the merge-base of `HEAD` and the base ref, as lines added
 * per repository-relative file. `unavailable` when there is no repository, no base, or the base
 * cannot be resolved (a shallow clone): conditions that need the diff report "no evidence".
 */
export type ChangeSet =
  | {
      kind: 'diff';
      base: string;
      mergeBase: string;
      files: ReadonlyMap<string, readonly AddedLine[]>;
      /**
       * Every file with a changed line, removed lines included (a deleted file under its old
       * path). Optional: without it, the files of `files` are the changed ones.
       */
      changed?: ReadonlySet<string> | undefined;
    }
  | { kind: 'unavailable'; reason: string };

/** A delivery event as conditions read it from the ledger. */
export type GateLedgerEvent = {
  type: string;
  occurredAt: string;
  service: string;
  environment: string;
  deployment?: string | undefined;
  commit?: string | undefined;
  result?: string | undefined;
  attributes?: Record<string, unknown> | undefined;
  /** The incident id of `incident_*` events. */
  incident?: string | undefined;
};

/** The verdict of one CI run's test reports against the quarantine (`candor verdict`). */
export type TestVerdictEvidence = {
  /** `fail` also when a report cannot be read (it may hide failures). */
  verdict: 'pass' | 'fail' | 'no-tests';
  tests: number;
  /** Keys of the failed tests that block (not quarantined, or by an expired entry). */
  blocking: readonly string[];
  /** Failed tests forgiven by an active quarantine entry; tests that passed on a retry. */
  forgiven: number;
  flaky: number;
  /** The report files read. */
  reports: readonly string[];
  /** Problems of reports that could not be read. */
  problems: readonly EvidenceProblem[];
};

/**
 * The repository's flake budget over a window, as `candor flaky budget` computes it from the
 * store: flaky executions ÷ all executions (`rate` null without executions).
 */
export type FlakeBudgetEvidence = {
  window: { from: string; to: string };
  rate: number | null;
  max: number;
  executions: number;
  flakyExecutions: number;
  overBudget: boolean;
};

/**
 * The port through which conditions gather evidence; implemented by the app layer. Every path
 * in and out is repository-relative with `/`. Methods throw CandorError (`io`, `database`) only
 * for operational failures; absent things are values (`[]`, `undefined`, `unavailable`).
 */
/** A recorded canary analysis judged again: the verdicts and the metrics whose result changed. */
export type CanaryReplayEvidence =
  | {
      ok: true;
      recorded: string;
      replayed: string;
      changed: { metric: string; from: string; to: string }[];
    }
  | { ok: false; reason: string };

export type GateContext = {
  /** The repository root (the working directory of `candor gate`). */
  root: string;
  now: Date;
  /** `--service`, `--deployment`, the commit of `HEAD` (undefined outside a git repository). */
  service: string | undefined;
  deployment: string | undefined;
  commit: string | undefined;
  /** The files a path or glob names (a glob: files under the root, not in node_modules), sorted. */
  findFiles(patterns: string | readonly string[]): Promise<string[]>;
  /** The whole text of a small file (UTF-8, a BOM removed), or undefined when it does not exist. */
  readText(file: string): Promise<string | undefined>;
  /** The lines of a file, streamed (CRLF and a BOM removed), for inputs of any size. */
  readLines(file: string): AsyncIterable<string>;
  /**
   * The same lines in batches (one per chunk read): for inputs of millions of lines, where an
   * await per line is the cost. Optional; without it, callers batch `readLines`.
   */
  readLineBatches?(file: string): AsyncIterable<readonly string[]>;
  /**
   * The raw bytes of a file, in chunks of about 1 MiB; a chunk is valid until the next one is
   * asked for (the buffer is refilled: copy what must outlive it). Optional; for readers that
   * scan bytes.
   */
  readBytes?(file: string): AsyncIterable<Uint8Array>;
  /** The lines added since the merge-base (`--base`, default the repository's default branch). */
  changes(): Promise<ChangeSet>;
  /** Ledger events of these types that occurred at or after `since` (ISO), oldest first. */
  ledgerEvents(query: {
    types: readonly string[];
    since: string;
    service?: string | undefined;
  }): Promise<GateLedgerEvent[]>;
  /**
   * Tests the ledger first saw at or after `since` (ISO), oldest first (at most 1000): the
   * regression tests added after an incident. Optional: without it there is no test history.
   */
  testsFirstSeen?(query: { since: string }): Promise<{ key: string; firstSeenAt: string }[]>;
  /**
   * Judges a `candor canary analyze --record DIR` recording again with candor.yml's current
   * `canary:` section (its `analysis.json` says what it was asked and answered). Optional:
   * without it (no `canary:` section) recordings cannot be replayed.
   */
  replayCanary?(dir: string): Promise<CanaryReplayEvidence>;
  /**
   * The flake budget of the store's executions over `windowMs` before `now`, as `candor flaky
   * budget --window --max --default-branch` computes it. Optional: without it there is no
   * test history.
   */
  flakeBudget?(query: {
    windowMs: number;
    max: number;
    defaultBranch: string;
  }): Promise<FlakeBudgetEvidence>;
  /** Judges test reports against the quarantine file, as `candor verdict` does. */
  judgeTests(query: { files: readonly string[]; quarantine: string }): Promise<TestVerdictEvidence>;
};

/**
 * One kind of gate condition. `options` is the strict schema of what follows the kind in
 * candor.yml (`- coverage: { files: …, min: 90 }`); the keys every kind shares (`name`,
 * `enforce`) are added by the checklist schema, so a condition never declares them. `label`
 * names an entry in the results when it has no `name` (`coverage src/payments/**`). `gather`
 * never throws for bad or absent evidence (values); `evaluate` is pure and never throws.
 */
export type GateCondition<Options = unknown, Found = unknown> = {
  /** The kind as written in candor.yml; equal to the registry key and the folder name. */
  id: string;
  description: string;
  options: z.ZodType<Options>;
  label(options: Options): string;
  gather(options: Options, context: GateContext): Promise<Evidence<Found>>;
  evaluate(evidence: Found, options: Options, now: Date): ConditionVerdict;
  /**
   * Optional: the files (paths or globs) `gather` reads, for a condition whose `gather` uses
   * nothing of the context but `root`, `findFiles` and the files' contents, and whose evidence
   * survives a structured clone (plain data). The app may then gather it in a worker thread
   * while the checklist's other entries are gathered (docs/adr/0045); the verdict is the same.
   */
  isolatedEvidence?(options: Options): readonly string[];
};

/**
 * A condition with its types checked where it is written; registries hold the erased form.
 * Never throws.
 */
export function defineGateCondition<Options, Found>(
  condition: GateCondition<Options, Found>,
): GateCondition<Options, Found> & AnyGateCondition {
  return condition;
}

/** A condition of some option and evidence types, as the registry holds it. */
export type AnyGateCondition = {
  id: string;
  description: string;
  options: z.ZodType;
  label(options: unknown): string;
  gather(options: unknown, context: GateContext): Promise<Evidence<unknown>>;
  evaluate(evidence: unknown, options: unknown, now: Date): ConditionVerdict;
  isolatedEvidence?(options: unknown): readonly string[];
};
