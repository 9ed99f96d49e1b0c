import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { CandorConfig } from '../../config/candor-config.ts';
import { seedChecklists } from '../../config/gates-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { limitConcurrency } from '../../core/lib/limit-concurrency.ts';
import { suggestWord } from '../../core/lib/suggest-word.ts';
import type { Store } from '../../store/open-store.ts';
import { readGitMetadata } from '../tests/resolve-run.ts';
import { createGateContext } from './create-gate-context.ts';
import { evaluateChecklist, type ChecklistResult } from './evaluate-checklist.ts';
import { gatherInWorker, releasePrestartedGateWorker } from './gather-in-worker.ts';

/**
 * The evidence size from which an isolated entry is gathered in a worker thread: starting one
 * (its own module loading) costs about 0.1 s of CPU, which reading 16 MB of SARIF outweighs.
 */
export const gatherApartMinBytes = 16 * 1024 * 1024;

/** A run of `candor gate`: the checklist's result and what was recorded in the ledger. */
export type GateRun = ChecklistResult & {
  commit: string | undefined;
  service: string;
  /** The ledger event recorded (`policy_passed` or `policy_failed`), or null with `record: false`. */
  recorded: { type: 'policy_passed' | 'policy_failed'; id: string } | null;
};

/**
 * Runs one checklist of candor.yml in `root` and records the outcome in the ledger as a
 * `policy_passed` or `policy_failed` event (service, commit, deployment; attributes: the
 * checklist, the failing and warning conditions), so the gate's catches can be counted later.
 * `warn` records `policy_passed` (it did not block). Throws CandorError `usage` when the
 * checklist is not in the configuration (with "did you mean"), `database` through the store.
 */
export async function runGate(options: {
  root: string;
  config: CandorConfig;
  configPath: string;
  checklist: string;
  now: Date;
  service?: string | undefined;
  deployment?: string | undefined;
  base?: string | undefined;
  /** The commit judged and recorded; default the checkout's `HEAD`. */
  commit?: string | undefined;
  record: boolean;
  store: () => Promise<Store>;
}): Promise<GateRun> {
  const checklists = options.config.gates ?? {};
  const entries = checklists[options.checklist];
  if (entries === undefined) {
    const known = Object.keys(checklists);
    const suggestion = suggestWord(options.checklist, [...known, ...seedChecklists]);
    throw new CandorError(
      'usage',
      `${options.configPath}: no checklist "${options.checklist}" under gates:${
        suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`
      }; ${known.length === 0 ? 'gates: is empty or absent' : `it has ${known.join(', ')}`}`,
    );
  }
  const git = await readGitMetadata(options.root);
  const service = options.service ?? git.repo ?? basename(options.root);
  const commit = options.commit ?? git.commitSha;
  const context = createGateContext({
    root: options.root,
    now: options.now,
    service,
    deployment: options.deployment,
    commit,
    base: options.base,
    canary: options.config.canary,
    store: options.store,
  });
  // The SARIF pair of a large change is gathered in a worker thread while the coverage,
  // vulnerability and SBOM files are read here (docs/adr/0045); one worker per core beside
  // this thread's, at most, so many large entries do not start a thread and a heap each at once.
  const inWorker = limitConcurrency(availableParallelism() - 1, gatherInWorker);
  // A worker started ahead by `candor gate` (prestartGateWorker) is taken by the first entry
  // gathered apart; when none is, it ends as soon as that is known.
  let isAnyApart = false;
  let result: ChecklistResult;
  try {
    result = await evaluateChecklist(options.checklist, entries, context, {
      minBytes: gatherApartMinBytes,
      gather: (kind, entryOptions, signal) => {
        isAnyApart = true;
        return inWorker(
          { kind, options: entryOptions, root: options.root, now: options.now.toISOString() },
          signal,
        );
      },
      onStarted: () => {
        if (!isAnyApart) releasePrestartedGateWorker();
      },
    });
  } finally {
    releasePrestartedGateWorker();
  }
  const base = { ...result, commit, service };
  if (!options.record) return { ...base, recorded: null };
  const type: 'policy_passed' | 'policy_failed' =
    result.result === 'fail' ? 'policy_failed' : 'policy_passed';
  const id = `gate:${options.checklist}:${commit ?? 'no-commit'}:${options.now.toISOString()}`;
  const at = options.now.toISOString();
  const names = (wanted: string) =>
    result.conditions.filter((c) => c.result === wanted).map((c) => c.name);
  const event = {
    type,
    id,
    occurredAt: at,
    service,
    ...(commit === undefined ? {} : { commit }),
    ...(options.deployment === undefined ? {} : { deployment: options.deployment }),
    attributes: {
      gate: 'candor',
      checklist: options.checklist,
      failing: names('fail').slice(0, 50),
      warning: names('warn').slice(0, 50),
      conditions: result.conditions.length,
    },
  };
  const store = await options.store();
  // The ledger's writer (Kysely) loads only when a verdict is recorded (docs/adr/0040).
  const { recordEvents } = await import('../delivery/record-events.ts');
  const recorded = await recordEvents(store, [{ value: event }], { receivedAt: at, atomic: true });
  const problem = recorded.errors[0];
  if (problem !== undefined) throw new Error(`policy event refused: ${problem.message}`);
  return { ...base, recorded: { type, id } };
}
