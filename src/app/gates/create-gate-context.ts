import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { glob, isDynamicPattern } from 'tinyglobby';
import { deliveryEventTypes, type DeliveryEventType } from '../../core/delivery/event-kinds.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import { toIsoDate } from '../../core/lib/time.ts';
import type { GateContext, GateLedgerEvent } from '../../gates/gate-condition.ts';
import type { Store } from '../../store/open-store.ts';
import type { CanaryConfig } from '../../config/canary-config.ts';
import { replayCanaryRecording } from '../canary/canary-recording.ts';
import { judgeReports } from '../quarantine/judge-reports.ts';
import { readChanges } from './read-changes.ts';

/** The latest instant the ledger queries reach (events are never in the far future). */
const endOfTime = '9999-12-31T23:59:59.999Z';

/** Repository-relative with `/`. */
const toRepoPath = (root: string, absolute: string) =>
  relative(root, absolute).split(sep).join('/');

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
  const absoluteOf = (file: string) => {
    const absolute = isAbsolute(file) ? file : resolve(root, file);
    const inside = relative(root, absolute);
    if (inside.startsWith('..') || isAbsolute(inside))
      throw new CandorError('usage', `${file}: evidence files must be inside ${root}`);
    return absolute;
  };
  let changes: ReturnType<GateContext['changes']> | undefined;
  const { canary } = options;
  return {
    root,
    now: options.now,
    service: options.service,
    deployment: options.deployment,
    commit: options.commit,
    async findFiles(patterns) {
      const found = new Set<string>();
      for (const pattern of [patterns].flat()) {
        if (isDynamicPattern(pattern)) {
          for (const file of await glob(pattern, {
            cwd: root,
            absolute: true,
            onlyFiles: true,
            ignore: ['**/node_modules/**'],
            followSymbolicLinks: false,
          }))
            found.add(toRepoPath(root, file));
        } else {
          const absolute = absoluteOf(pattern);
          if ((await stat(absolute).catch(() => undefined))?.isFile())
            found.add(toRepoPath(root, absolute));
        }
      }
      return [...found].sort();
    },
    ...(canary === undefined
      ? {}
      : {
          replayCanary: (dir: string) =>
            replayCanaryRecording({ dir: absoluteOf(dir), config: canary, cwd: root }),
        }),
    async readText(file) {
      try {
        const text = await readFile(absoluteOf(file), 'utf8');
        return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
      }
    },
    async *readLines(file) {
      const input = createReadStream(absoluteOf(file), { encoding: 'utf8' });
      let first = true;
      try {
        for await (const line of createInterface({ input, crlfDelay: Infinity })) {
          yield first && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
          first = false;
        }
      } catch (error) {
        throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
      } finally {
        input.destroy();
      }
    },
    async *readLineBatches(file) {
      const input = createReadStream(absoluteOf(file), {
        encoding: 'utf8',
        highWaterMark: 1 << 20,
      });
      let rest = '';
      let first = true;
      try {
        for await (const chunk of input as AsyncIterable<string>) {
          const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
          first = false;
          const lines = (rest + text).split('\n');
          rest = lines.pop() ?? '';
          yield text.includes('\r')
            ? lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
            : lines;
        }
      } catch (error) {
        throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
      } finally {
        input.destroy();
      }
      if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
    },
    async *readBytes(file) {
      const input = createReadStream(absoluteOf(file), { highWaterMark: 1 << 20 });
      try {
        for await (const chunk of input as AsyncIterable<Buffer>) yield chunk;
      } catch (error) {
        throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
      } finally {
        input.destroy();
      }
    },
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
