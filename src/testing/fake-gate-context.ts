import { posix } from 'node:path';
import type {
  AddedLine,
  CanaryReplayEvidence,
  ChangeSet,
  GateContext,
  GateLedgerEvent,
  TestVerdictEvidence,
} from '../gates/gate-condition.ts';

/**
 * A `GateContext` over values, for conditions' unit tests: files by repository-relative path
 * (globs matched with `path.posix.matchesGlob`), the added lines (or none: `unavailable`),
 * ledger events, a test verdict. An empty call is a repository with no evidence at all.
 */
export function fakeGateContext(
  options: {
    now?: Date;
    files?: Record<string, string>;
    added?: Record<string, readonly AddedLine[]>;
    base?: string;
    events?: readonly GateLedgerEvent[];
    service?: string;
    deployment?: string;
    commit?: string;
    tests?: TestVerdictEvidence;
    /** Tests and when they were first seen (ISO), for `testsFirstSeen`. */
    newTests?: readonly { key: string; firstSeenAt: string }[];
    /** Canary replays by recording directory, for `replayCanary` (absent: no `canary:`). */
    replays?: Record<string, CanaryReplayEvidence>;
  } = {},
): GateContext {
  const files = options.files ?? {};
  const changes: ChangeSet =
    options.added === undefined
      ? { kind: 'unavailable', reason: 'not a git repository' }
      : {
          kind: 'diff',
          base: options.base ?? 'main',
          mergeBase: '0'.repeat(40),
          files: new Map(Object.entries(options.added)),
        };
  return {
    root: '/repo',
    now: options.now ?? new Date('2026-12-02T12:00:00Z'),
    service: options.service,
    deployment: options.deployment,
    commit: options.commit,
    async findFiles(patterns) {
      const all = Object.keys(files);
      return [
        ...new Set(
          [patterns].flat().flatMap((p) => all.filter((f) => f === p || posix.matchesGlob(f, p))),
        ),
      ].sort();
    },
    async readText(file) {
      const text = files[file];
      return text?.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    },
    async *readLines(file) {
      const text = files[file];
      if (text === undefined) throw new Error(`${file}: no such file`);
      const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
      if (lines.at(-1) === '') lines.pop();
      yield* lines;
    },
    async changes() {
      return changes;
    },
    ...(options.replays === undefined
      ? {}
      : {
          replayCanary: async (dir: string) =>
            options.replays?.[dir] ?? { ok: false, reason: `${dir}: no recording` },
        }),
    async ledgerEvents(query) {
      return (options.events ?? [])
        .filter(
          (e) =>
            query.types.includes(e.type) &&
            e.occurredAt >= query.since &&
            (query.service === undefined || e.service === query.service),
        )
        .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
    },
    async testsFirstSeen(query) {
      return (options.newTests ?? [])
        .filter((t) => t.firstSeenAt >= query.since)
        .sort((a, b) =>
          a.firstSeenAt < b.firstSeenAt ? -1 : a.firstSeenAt > b.firstSeenAt ? 1 : 0,
        );
    },
    async judgeTests() {
      return (
        options.tests ?? {
          verdict: 'no-tests',
          tests: 0,
          blocking: [],
          forgiven: 0,
          flaky: 0,
          reports: [],
          problems: [],
        }
      );
    },
  };
}
