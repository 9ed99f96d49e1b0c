import { dayMs } from '../lib/time.ts';

/** A drill as the ledger holds it (`rollback_drill` events). */
export type DrillRecord = {
  service: string;
  environment: string;
  occurredAt: string;
  result: 'success' | 'failure' | undefined;
  durationMs: number | undefined;
  action: string | undefined;
};

/**
 * The state of one service's rehearsals in one environment: `fresh` (the last drill succeeded
 * within `maxAgeDays`), `stale` (it succeeded, longer ago), `failed` (the last drill failed:
 * the rollback is known not to work), `never` (a configured service with no drill at all).
 */
export type DrillStatus = 'fresh' | 'stale' | 'failed' | 'never';

export type DrillRow = {
  service: string;
  environment: string;
  status: DrillStatus;
  maxAgeDays: number;
  last: DrillRecord | null;
  /** Whole days since the last drill, or null when there is none. */
  ageDays: number | null;
  /** The last successful drill, when the last one failed or there are several. */
  lastSuccessAt: string | null;
};

/**
 * The last drill per service and environment, and whether it still counts (the seed's release
 * checklist: "rollback tested in staging in the last 30 days"). `expected` lists the services
 * that must have drills (from candor.yml) with their environment and age limit; services with
 * drills but no config use `defaultMaxAgeDays`. Rows sorted by service, then environment. Pure.
 */
export function summarizeDrills(
  drills: readonly DrillRecord[],
  options: {
    now: string;
    expected: readonly { service: string; environment: string; maxAgeDays: number }[];
    defaultMaxAgeDays: number;
  },
): DrillRow[] {
  const groups = new Map<string, DrillRecord[]>();
  const keyOf = (service: string, environment: string) => JSON.stringify([service, environment]);
  for (const drill of drills) {
    const key = keyOf(drill.service, drill.environment);
    const list = groups.get(key) ?? [];
    list.push(drill);
    groups.set(key, list);
  }
  const limits = new Map(
    options.expected.map((e) => [keyOf(e.service, e.environment), e.maxAgeDays]),
  );
  for (const e of options.expected)
    if (!groups.has(keyOf(e.service, e.environment)))
      groups.set(keyOf(e.service, e.environment), []);
  const now = Date.parse(options.now);
  const rows: DrillRow[] = [];
  for (const [key, list] of groups) {
    const [service, environment] = JSON.parse(key) as [string, string];
    const maxAgeDays = limits.get(key) ?? options.defaultMaxAgeDays;
    const ordered = [...list].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    const last = ordered.at(-1) ?? null;
    const lastSuccess = ordered.filter((d) => d.result === 'success').at(-1) ?? null;
    const ageDays = last === null ? null : Math.floor((now - Date.parse(last.occurredAt)) / dayMs);
    const status: DrillStatus =
      last === null
        ? 'never'
        : last.result !== 'success'
          ? 'failed'
          : (ageDays ?? 0) > maxAgeDays
            ? 'stale'
            : 'fresh';
    rows.push({
      service,
      environment,
      status,
      maxAgeDays,
      last,
      ageDays,
      lastSuccessAt: lastSuccess?.occurredAt ?? null,
    });
  }
  return rows.sort((a, b) =>
    a.service === b.service ? cmp(a.environment, b.environment) : cmp(a.service, b.service),
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
