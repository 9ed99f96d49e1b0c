// Test support: seeded, messy delivery ledgers (as sent to candor) for order-independence tests.
import type { DeliveryEventType } from '../core/delivery/event-kinds.ts';
import { seededRandom } from '../core/lib/seeded-random.ts';

/** 2026-11-01T00:00:00Z: generated ledgers span the 72 hours after it. */
export const deliveryLedgerStart = Date.parse('2026-11-01T00:00:00Z');
const T0 = deliveryLedgerStart;
const types: DeliveryEventType[] = [
  'commit_created',
  'tests_passed',
  'policy_passed',
  'policy_failed',
  'deploy_started',
  'deploy_started',
  'canary_started',
  'canary_promoted',
  'canary_failed',
  'deploy_finished',
  'deploy_finished',
  'rollback_triggered',
  'rollback_finished',
  'incident_opened',
  'incident_opened',
  'incident_resolved',
];

/** A messy ledger over 3 days: services, shared commits, staging, late and orphan events. */
export function generateDeliveryLedger(seed: number, size: number) {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const maybe = <T>(p: number, value: T): T | undefined => (random() < p ? value : undefined);
  return Array.from({ length: size }, (_, i) => {
    const commit = `c${Math.floor(random() * 40)}`;
    const type = pick(types);
    const isIncident = type.startsWith('incident');
    return {
      type,
      id: `e${i}`,
      source: 'gen',
      occurredAt: new Date(T0 + Math.floor(random() * 72 * 60) * 60_000).toISOString(),
      service: pick(['api', 'web']),
      environment: isIncident
        ? undefined
        : pick([undefined, 'production', 'production', 'staging']),
      commit: maybe(isIncident ? 0.2 : 0.85, commit),
      commits: maybe(0.1, [commit, `c${Math.floor(random() * 40)}`]),
      deployment: maybe(isIncident ? 0.2 : 0.7, `d${Math.floor(random() * 30)}`),
      incident: maybe(0.9, `i${Math.floor(random() * 10)}`),
      result: pick([undefined, 'success', 'success', 'failure']),
    };
  });
}

/** Fisher–Yates with a seeded generator. */
export function shuffle<T>(values: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * `generateDeliveryLedger` with what the DORA report reads from attributes and more spread:
 * teams on deployment events, gate checklists and failing conditions on policy events, rework
 * and hotfix marks, three services and three environments, events of the types no DORA number
 * reads, and millisecond times (so no two events of one deployment share an instant and type,
 * where the replay's order is the store's).
 */
export function generateAttributedDeliveryLedger(seed: number, size: number) {
  const random = seededRandom(seed * 7_919 + 1);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  return generateDeliveryLedger(seed, size).map((event) => {
    const attributes: Record<string, unknown> = {};
    if (event.type === 'policy_passed' || event.type === 'policy_failed') {
      const checklist = pick([undefined, 'release', 'security']);
      if (checklist !== undefined) attributes['checklist'] = checklist;
      if (event.type === 'policy_failed')
        attributes['failing'] = [pick(['coverage', 'sast', 'owners']), pick(['sast', 'vulns'])];
    } else if (event.type !== 'incident_opened' && event.type !== 'incident_resolved') {
      const team = pick([undefined, 'core', 'core', 'growth']);
      if (team !== undefined) attributes['team'] = team;
      if (random() < 0.05) attributes[pick(['rework', 'hotfix'])] = true;
    }
    // Now and then an event no DORA number reads, carrying the same fields.
    const ignored = random() < 0.05;
    return {
      ...event,
      type: ignored
        ? pick(['tests_failed', 'rollback_drill', 'release_approved', 'game_day'] as const)
        : event.type,
      id: `a${event.id}`,
      source: 'gen-attributed',
      occurredAt: new Date(
        Date.parse(event.occurredAt) + Math.floor(random() * 60_000),
      ).toISOString(),
      service: random() < 0.2 ? 'billing' : event.service,
      environment: event.environment === 'staging' && random() < 0.3 ? 'qa' : event.environment,
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    };
  });
}
