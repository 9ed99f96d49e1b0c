import { z } from 'zod';
import { computeDora, type GateQuality } from '../../core/delivery/dora/compute-dora.ts';
import {
  deliveryEventTypes,
  deliveryResults,
  type DeliveryEventType,
  type DeliveryResult,
} from '../../core/delivery/event-kinds.ts';
import type { LedgerEvent } from '../../core/delivery/dora/ledger-event.ts';
import { canaryManifestFile } from '../../core/canary/canary-manifest.ts';
import { dayMs } from '../../core/lib/time.ts';
import {
  defineGateCondition,
  type CanaryReplayEvidence,
  type GateContext,
  type GateLedgerEvent,
} from '../gate-condition.ts';
import { listShort, plural } from '../read-evidence-files.ts';

/**
 * `- events: { check: incident, incident: INC-42 }` (the incident checklist) or
 * `- events: { check: quarter, days: 90 }` (the quarter checklist).
 */
export const EventsOptions = z
  .strictObject({
    check: z.enum(['incident', 'quarter']),
    /** The incident (default: the service's latest `incident_opened` in the last `days`). */
    incident: z.string().trim().min(1).max(200).optional(),
    /** incident: a regression test (a test first seen after the incident opened) is required. */
    regressionTest: z.boolean().default(true),
    /** The period read: the incident looked for, or the quarter measured (default 90). */
    days: z.int().min(1).max(366).default(90),
    /** The service (default: `--service`, else the repository name). */
    service: z.string().trim().min(1).max(200).optional(),
    /**
     * quarter: `candor canary analyze --record DIR` recordings (directories, or globs of them) to
     * judge again with candor.yml's current `canary:` thresholds; a changed verdict warns.
     */
    replays: z
      .union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)])
      .optional(),
  })
  .refine((options) => options.replays === undefined || options.check === 'quarter', {
    message: 'replays: only with check: quarter',
    path: ['replays'],
  });
export type EventsOptions = z.output<typeof EventsOptions>;

/** What the incident checklist found about one incident. */
export type IncidentFacts = {
  incident: string;
  openedAt: string;
  deployment: string | undefined;
  commit: string | undefined;
  resolvedAt: string | undefined;
  rolledBack: boolean;
  /** Tests first seen after the incident opened. */
  newTests: string[] | undefined;
  /** Checklists that passed the failed change (`policy_passed` of its commit before it opened). */
  gatesThatPassed: string[];
};

export type EventsEvidence =
  | { check: 'incident'; service: string; facts: IncidentFacts }
  | {
      check: 'quarter';
      service: string;
      gates: GateQuality[];
      current: { deployments: number; changeFailureRate: number | null };
      previous: { deployments: number; changeFailureRate: number | null };
      /** With `replays:`: each recording judged again, or why none could be. */
      replays?: CanaryReplays | undefined;
    };

/** The quarter's canary replays: the recordings found and how each judged again. */
export type CanaryReplays = {
  patterns: string[];
  /** Why recordings could not be replayed at all (no `canary:` section). */
  unavailable?: string | undefined;
  recordings: { dir: string; replay: CanaryReplayEvidence }[];
};

const incidentTypes = [
  'incident_opened',
  'incident_resolved',
  'deploy_started',
  'canary_started',
  'rollback_triggered',
  'rollback_finished',
  'policy_passed',
] as const;

const quarterTypes = deliveryEventTypes.filter((t) => t !== 'commit_created');

/** A ledger event as the DORA core reads it. Undefined for a type this version does not know. */
function toLedgerEvent(event: GateLedgerEvent): LedgerEvent | undefined {
  if (!(deliveryEventTypes as readonly string[]).includes(event.type)) return undefined;
  return {
    type: event.type as DeliveryEventType,
    at: Date.parse(event.occurredAt),
    service: event.service,
    environment: event.environment,
    commit: event.commit ?? null,
    commits: null,
    deployment: event.deployment ?? null,
    incident: event.incident ?? null,
    result: (deliveryResults as readonly string[]).includes(event.result ?? '')
      ? (event.result as DeliveryResult)
      : null,
    attributes: event.attributes ?? null,
  };
}

const pct = (rate: number | null) => (rate === null ? 'n/a' : `${(rate * 100).toFixed(1)}%`);

/**
 * `events`: the checklists the ledger can check. `check: incident`: the incident is linked to
 * a deployment or commit, its recovery time is recorded (an `incident_resolved`), a regression
 * test was added (a test first seen after it opened), and the gates that passed the failed
 * change are named (to update them). `check: quarter`: the DORA trend (this period against the
 * one before) and each gate's catches; gates with no true catch in the period are listed as
 * candidates to kill (a warning).
 */
export const eventsCondition = defineGateCondition<EventsOptions, EventsEvidence>({
  id: 'events',
  description:
    'incident follow-up (linked, MTTR, regression test, gates named) or the quarter review (DORA and gate-quality trend, gates to kill) from the ledger',
  options: EventsOptions,
  label: (options) =>
    options.check === 'incident'
      ? `events incident ${options.incident ?? 'latest'}`
      : `events quarter ${options.days}d`,
  async gather(options, context) {
    const service = options.service ?? context.service;
    if (service === undefined)
      return {
        kind: 'missing',
        expected: 'ledger events of a service (none: give --service)',
        files: [],
      };
    const now = context.now.getTime();
    if (options.check === 'quarter') {
      const since = new Date(now - 2 * options.days * dayMs - 90 * dayMs).toISOString();
      const events = (await context.ledgerEvents({ types: quarterTypes, since, service })).flatMap(
        (e) => toLedgerEvent(e) ?? [],
      );
      if (!events.some((e) => e.type === 'policy_passed' || e.type === 'policy_failed'))
        return {
          kind: 'missing',
          expected: `policy_passed or policy_failed events of ${service} in the ledger (candor gate records them)`,
          files: [],
        };
      const window = (to: number) => ({
        from: to - options.days * dayMs,
        to,
        environment: 'production',
        incidentWindowMs: dayMs,
        service,
      });
      const replays =
        options.replays === undefined
          ? undefined
          : await replayRecordings(options.replays, context);
      const current = computeDora(events, window(now));
      const previous = computeDora(events, window(now - options.days * dayMs));
      return {
        kind: 'found',
        value: {
          check: 'quarter',
          service,
          gates: current.gates,
          current: {
            deployments: current.deployments,
            changeFailureRate: current.changeFailureRate,
          },
          previous: {
            deployments: previous.deployments,
            changeFailureRate: previous.changeFailureRate,
          },
          replays,
        },
        files: replays?.recordings.map((r) => `${r.dir}/${canaryManifestFile}`) ?? [],
      };
    }
    const since = new Date(now - options.days * dayMs).toISOString();
    const events = await context.ledgerEvents({ types: incidentTypes, since, service });
    const opened = events.filter(
      (e) =>
        e.type === 'incident_opened' &&
        (options.incident === undefined || e.incident === options.incident),
    );
    const open = opened.at(-1);
    if (open === undefined || open.incident === undefined)
      return {
        kind: 'missing',
        expected: `an incident_opened event${options.incident === undefined ? '' : ` of incident ${options.incident}`} of ${service} in the last ${options.days} days`,
        files: [],
      };
    const id = open.incident;
    const resolved = events.find((e) => e.type === 'incident_resolved' && e.incident === id);
    const started = events.find(
      (e) =>
        (e.type === 'deploy_started' || e.type === 'canary_started') &&
        ((open.deployment !== undefined && e.deployment === open.deployment) ||
          (open.commit !== undefined && e.commit === open.commit)),
    );
    const deployment = open.deployment ?? started?.deployment;
    const commit = open.commit ?? started?.commit;
    const rolledBack = events.some(
      (e) =>
        (e.type === 'rollback_triggered' || e.type === 'rollback_finished') &&
        deployment !== undefined &&
        e.deployment === deployment,
    );
    const gatesThatPassed = [
      ...new Set(
        events
          .filter(
            (e) =>
              e.type === 'policy_passed' &&
              commit !== undefined &&
              e.commit === commit &&
              e.occurredAt <= open.occurredAt,
          )
          .map((e) =>
            typeof e.attributes?.['checklist'] === 'string' ? e.attributes['checklist'] : 'policy',
          ),
      ),
    ].sort();
    const newTests =
      context.testsFirstSeen === undefined
        ? undefined
        : (await context.testsFirstSeen({ since: open.occurredAt })).map((t) => t.key);
    return {
      kind: 'found',
      value: {
        check: 'incident',
        service,
        facts: {
          incident: id,
          openedAt: open.occurredAt,
          deployment,
          commit,
          resolvedAt: resolved?.occurredAt,
          rolledBack,
          newTests,
          gatesThatPassed,
        },
      },
      files: [],
    };
  },
  evaluate(evidence, options) {
    if (evidence.check === 'quarter') {
      const idle = evidence.gates.filter((g) => g.trueCatches === 0);
      const replay = evidence.replays === undefined ? undefined : describeReplays(evidence.replays);
      const trend = `deployments ${evidence.previous.deployments} → ${evidence.current.deployments}, change failure rate ${pct(evidence.previous.changeFailureRate)} → ${pct(evidence.current.changeFailureRate)}`;
      const gates = evidence.gates
        .map(
          (g) =>
            `${g.checklist}: ${g.trueCatches} caught, ${g.blockedThenShipped} false positive(s), ${g.passedThenFailed} false negative(s)`,
        )
        .join('; ');
      const gateValue =
        idle.length > 0
          ? `${plural(idle.length, 'gate')} to kill: ${listShort(idle.map((g) => g.checklist))}`
          : `${plural(evidence.gates.length, 'gate')} caught something`;
      return {
        result: idle.length > 0 || replay?.warn === true ? 'warn' : 'pass',
        value: replay === undefined ? gateValue : `${gateValue}; ${replay.value}`,
        threshold: `a true catch in ${options.days} days${replay === undefined ? '' : ', replays unchanged'}`,
        message: `${evidence.service}, last ${options.days} days: ${trend}; ${gates}${
          idle.length > 0
            ? `; no true catch: ${listShort(idle.map((g) => g.checklist))} (candidates to kill or tighten)`
            : ''
        }${replay === undefined ? '' : `; ${replay.message}`}`,
      };
    }
    const f = evidence.facts;
    const missing: string[] = [];
    if (f.deployment === undefined && f.commit === undefined)
      missing.push('not linked to a deployment or commit');
    if (f.resolvedAt === undefined) missing.push('no incident_resolved: MTTR not recorded');
    if (options.regressionTest) {
      if (f.newTests === undefined) missing.push('no test history to find a regression test in');
      else if (f.newTests.length === 0)
        missing.push(`no regression test: no test first seen since ${f.openedAt}`);
    }
    const mttr =
      f.resolvedAt === undefined
        ? undefined
        : Math.round((Date.parse(f.resolvedAt) - Date.parse(f.openedAt)) / 60_000);
    const facts = [
      `linked to ${f.deployment !== undefined ? `deployment ${f.deployment}` : f.commit !== undefined ? `commit ${f.commit}` : 'nothing'}`,
      mttr === undefined ? 'unresolved' : `MTTR ${mttr} min`,
      f.rolledBack ? 'rolled back' : 'not rolled back',
      f.newTests === undefined || f.newTests.length === 0
        ? undefined
        : `regression test(s) ${listShort(f.newTests)}`,
      f.gatesThatPassed.length === 0
        ? 'no gate passed it'
        : `gates that passed it (update them): ${listShort(f.gatesThatPassed)}`,
    ].filter((part): part is string => part !== undefined);
    return {
      result: missing.length > 0 ? 'fail' : 'pass',
      value: missing.length === 0 ? 'complete' : `${missing.length} missing`,
      threshold: 'linked, MTTR, regression test',
      message: `incident ${f.incident}: ${missing.length > 0 ? `${missing.join('; ')}; ` : ''}${facts.join(', ')}`,
    };
  },
});

/** Finds the recordings `replays:` names (directories holding `analysis.json`) and judges each again. */
async function replayRecordings(
  replays: string | string[],
  context: GateContext,
): Promise<CanaryReplays> {
  const patterns = [replays].flat();
  const manifests = await context.findFiles(
    patterns.map((p) =>
      p.endsWith(canaryManifestFile) ? p : `${p.replace(/\/+$/, '')}/${canaryManifestFile}`,
    ),
  );
  const dirs = manifests.map((file) => file.slice(0, -(canaryManifestFile.length + 1)) || '.');
  if (context.replayCanary === undefined)
    return {
      patterns,
      unavailable: 'candor.yml has no canary: section to judge them with',
      recordings: [],
    };
  const recordings: CanaryReplays['recordings'] = [];
  for (const dir of dirs) recordings.push({ dir, replay: await context.replayCanary(dir) });
  return { patterns, recordings };
}

/** The replay part of the quarter's verdict: a warning when a verdict would change or none ran. */
function describeReplays(replays: CanaryReplays): {
  warn: boolean;
  value: string;
  message: string;
} {
  const where = listShort(replays.patterns);
  if (replays.unavailable !== undefined)
    return {
      warn: true,
      value: 'replays not judged',
      message: `canary replays of ${where} not judged: ${replays.unavailable}`,
    };
  if (replays.recordings.length === 0)
    return {
      warn: true,
      value: 'no canary recordings',
      message: `no evidence: no canary recording (${canaryManifestFile} of candor canary analyze --record DIR) at ${where}`,
    };
  const failed = replays.recordings.flatMap((r) =>
    r.replay.ok ? [] : [`${r.dir}: ${r.replay.reason}`],
  );
  const changed = replays.recordings.flatMap((r) =>
    r.replay.ok && r.replay.recorded !== r.replay.replayed
      ? [
          `${r.dir} ${r.replay.recorded} → ${r.replay.replayed}${
            r.replay.changed.length === 0
              ? ''
              : ` (${r.replay.changed.map((c) => `${c.metric} ${c.from} → ${c.to}`).join(', ')})`
          }`,
        ]
      : [],
  );
  const total = plural(replays.recordings.length, 'canary replay');
  const parts = [
    changed.length === 0
      ? `${total}: no verdict would change with today's thresholds`
      : `${total}: today's thresholds would change ${plural(changed.length, 'verdict')}: ${changed.join('; ')}`,
    ...(failed.length === 0 ? [] : [`could not replay ${failed.join('; ')}`]),
  ];
  return {
    warn: changed.length > 0 || failed.length > 0,
    value:
      changed.length > 0
        ? `${plural(changed.length, 'canary verdict')} would change`
        : 'replays unchanged',
    message: parts.join('; '),
  };
}
