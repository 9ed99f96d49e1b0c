import { deliveryEventTypes, type DeliveryEventType } from '../../core/delivery/event-kinds.ts';
import { toIsoDate } from '../../core/lib/time.ts';
import type { GateContext, GateLedgerEvent } from '../../gates/gate-condition.ts';
import type { Store } from '../../store/open-store.ts';
import type { CanaryConfig } from '../../config/canary-config.ts';
import { replayCanaryRecording } from '../canary/canary-recording.ts';
import { judgeReports } from '../quarantine/judge-reports.ts';
import { createFileContext } from './create-file-context.ts';
import { readChanges } from './read-changes.ts';

/** The latest instant the ledger queries reach (events are never in the far future). */
const endOfTime = '9999-12-31T23:59:59.999Z';

/**
 * The `GateContext` of a `candor gate` run in `root`: files under the root, the merge-base diff
 * from git (read once), the ledger of `store` (opened only when a condition asks), and the test
 * verdict of `candor verdict`. Paths outside the root are refused (CandorError `usage`).
 */
export function createGateContext(options: {
  root: string;
  now: Date;
  service?: string | undefined;
  deployment?: string | undefined;
  commit?: string | undefined;
  base?: string | undefined;
  /** candor.yml's `canary:` section: recordings are replayed with it. */
  canary?: CanaryConfig | undefined;
  store: () => Promise<Store>;
}): GateContext {
  const { root } = options;
  const { absoluteOf, ...files } = createFileContext(root);
  let changes: ReturnType<GateContext['changes']> | undefined;
  const { canary } = options;
  return {
    ...files,
    now: options.now,
    service: options.service,
    deployment: options.deployment,
    commit: options.commit,
    ...(canary === undefined
      ? {}
      : {
          replayCanary: (dir: string) =>
            replayCanaryRecording({ dir: absoluteOf(dir), config: canary, cwd: root }),
        }),
    changes() {
      changes ??= readChanges(root, options.base);
      return changes;
    },
    async testsFirstSeen(query) {
      const store = await options.store();
      // The store's repositories (Kysely) load with the store, not with the CLI (docs/adr/0040).
      const { findTestsFirstSeenSince } =
        await import('../../store/repositories/tests/test-first-seen.repository.ts');
      return findTestsFirstSeenSince(store, { since: query.since });
    },
    async ledgerEvents(query) {
      // A type this version does not record has no events (a newer checklist, an older ledger).
      const types = query.types.filter((t): t is DeliveryEventType =>
        (deliveryEventTypes as readonly string[]).includes(t),
      );
      if (types.length === 0) return [];
      const store = await options.store();
      const { findDeliveryEvents } =
        await import('../../store/repositories/delivery/delivery-event.repository.ts');
      const events = await findDeliveryEvents(store.db, {
        from: query.since,
        to: endOfTime,
        service: query.service,
        types,
      });
      return events.map((e): GateLedgerEvent => ({
        type: e.type,
        occurredAt: e.occurredAt,
        service: e.service,
        environment: e.environment ?? 'production',
        deployment: e.deployment,
        commit: e.commit,
        result: e.result,
        attributes: e.attributes,
        incident: e.incident,
      }));
    },
    async flakeBudget(query) {
      const store = await options.store();
      const { analyzeFlakyTests } = await import('../flaky/build-flaky-report.ts');
      const analysis = await analyzeFlakyTests(store, {
        now: options.now,
        windowMs: query.windowMs,
        defaultBranch: query.defaultBranch,
        maxBudget: query.max,
        ownersOf: () => [],
      });
      const { budget } = analysis;
      return {
        window: analysis.window,
        rate: budget.rate,
        max: budget.max,
        executions: budget.executions,
        flakyExecutions: budget.flakyExecutions,
        overBudget: budget.overBudget,
      };
    },
    async judgeTests(query) {
      const judged = await judgeReports({
        patterns: [...query.files],
        cwd: root,
        quarantineFile: query.quarantine,
        format: 'auto',
        today: toIsoDate(options.now),
      });
      return {
        verdict: judged.outcome,
        tests: judged.judged.tests,
        blocking: judged.judged.blocking.map((t) => t.key),
        forgiven: judged.judged.forgiven.length,
        flaky: judged.judged.flaky.length,
        reports: judged.reports.map((r) => r.path),
        problems: judged.unreadable.flatMap((r) => r.errors.map((e) => ({ ...e, file: r.path }))),
      };
    },
  };
}
