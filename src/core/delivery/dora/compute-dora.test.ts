import { describe, expect, it } from 'vitest';
import { referenceComputeDora } from '../../../testing/reference-compute-dora.ts';
import { compareText } from '../../lib/compare-text.ts';
import { hour, ledgerEvent as ev, ledgerStart } from '../../../testing/ledger-event.ts';
import {
  computeDora,
  typesDoraIgnores,
  type DoraReport,
  type LedgerEvent,
} from './compute-dora.ts';
import { eventKinds } from '../event-kinds.ts';
import type { DeliveryEventType } from '../event-kinds.ts';
import { seededRandom } from '../../lib/seeded-random.ts';

const T0 = ledgerStart;
const h = hour;
const prod = { environment: 'production' };

/** The scenario of DEFINITIONS.md "worked example", computed by hand there. */
const scenario: LedgerEvent[] = [
  ev('commit_created', h(0), { commit: 'c1' }),
  ev('commit_created', h(1), { commit: 'c2' }),
  ev('commit_created', h(2), { commit: 'c3' }),
  ev('policy_passed', h(2.5), { commit: 'c2' }),
  ev('deploy_started', h(3), { ...prod, commit: 'c2', deployment: 'd1' }),
  ev('deploy_finished', h(3.5), { ...prod, commit: 'c2', deployment: 'd1', result: 'success' }),
  ev('canary_started', h(5), { ...prod, commit: 'c3', deployment: 'd2' }),
  ev('canary_promoted', h(6), { ...prod, commit: 'c3', deployment: 'd2' }),
  ev('incident_opened', h(7), { incident: 'i1' }),
  ev('incident_resolved', h(9), { incident: 'i1' }),
  ev('commit_created', h(10), { commit: 'c4' }),
  ev('deploy_started', h(11), { ...prod, commit: 'c4', deployment: 'd3' }),
  ev('rollback_triggered', h(11.5), { ...prod, deployment: 'd3' }),
  ev('rollback_finished', h(12), { ...prod, deployment: 'd3', result: 'success' }),
  ev('policy_failed', h(13), { commit: 'c5' }),
  ev('deploy_started', h(14), { ...prod, commit: 'c5', deployment: 'd4' }),
  ev('deploy_finished', h(14.5), { ...prod, commit: 'c5', deployment: 'd4', result: 'success' }),
  ev('deploy_started', h(15), { environment: 'staging', commit: 'c5', deployment: 'd5' }),
];
const options = {
  from: T0,
  to: h(24),
  environment: 'production',
  incidentWindowMs: 24 * 3_600_000,
};

describe('computeDora', () => {
  const report = computeDora(scenario, options);

  it('counts production deployments and their frequency', () => {
    expect(report).toMatchObject({
      deployments: 4,
      deploymentFrequencyPerDay: 4,
      failedDeployments: 2,
      changeFailureRate: 0.5,
    });
  });

  it('measures lead time from the first commit of each change to production', () => {
    // d1: c1..c2, 0h → 3.5h; d2: c3 (after c2), 2h → 6h; d3 never deployed; d4's commit has no commit event.
    expect(report.leadTimeSeconds).toEqual({ median: 13_500, p90: 14_220, mean: 13_500, count: 2 });
  });

  it('measures recovery and detection from the first failure signal', () => {
    // d2: inferred incident at 7h (start 5h), resolved 9h; d3: rollback triggered 11.5h, finished 12h.
    expect(report.recoveryTimeSeconds).toEqual({
      median: 4_500,
      p90: 6_660,
      mean: 4_500,
      count: 2,
    });
    expect(report.timeToDetectSeconds).toEqual({
      median: 4_500,
      p90: 6_660,
      mean: 4_500,
      count: 2,
    });
    expect(report.unrecoveredFailures).toBe(0);
    expect(report.incidentLinks).toEqual([{ incident: 'i1', deployment: 'd2', link: 'inferred' }]);
  });

  it('rates rollbacks and the policy gate', () => {
    expect(report.rollbackSuccessRate).toBe(1);
    expect(report.falsePositiveRate).toBe(1); // c5 was blocked, shipped unchanged, did not fail
    expect(report.falseNegativeRate).toBe(0); // d1 passed policy and did not fail
    expect(report.reworkRate).toBe(0);
  });

  it('reports stage latency between consecutive stages', () => {
    const commitToPolicy = report.stageLatency.find(
      (s) => s.from === 'policy_passed' && s.to === 'deploy_started',
    );
    expect(commitToPolicy).toEqual({
      from: 'policy_passed',
      to: 'deploy_started',
      p50: 1_800,
      p90: 1_800,
      count: 1,
    });
  });

  it('gives the same numbers whatever the arrival order, and ignores duplicate events', () => {
    const shuffled = [...scenario].reverse().concat(scenario.slice(4, 8));
    expect(computeDora(shuffled, options)).toEqual(report);
  });

  it('gives null rates, not zero, when there is nothing to divide by', () => {
    const empty = computeDora([ev('commit_created', h(1), { commit: 'x' })], options);
    expect(empty).toMatchObject({
      deployments: 0,
      deploymentFrequencyPerDay: 0,
      changeFailureRate: null,
      rollbackSuccessRate: null,
      falsePositiveRate: null,
      falseNegativeRate: null,
      reworkRate: null,
      leadTimeSeconds: { median: null, p90: null, mean: null, count: 0 },
    });
  });

  it('links an incident explicitly by deployment or commit, and leaves one without a deployment alone', () => {
    const events = [
      ...scenario,
      ev('incident_opened', h(20), { incident: 'i2', commit: 'c2' }),
      ev('incident_opened', h(21), { incident: 'i3', service: 'billing' }),
    ];
    const linked = computeDora(events, options);
    expect(linked.incidentLinks).toContainEqual({
      incident: 'i2',
      deployment: 'd1',
      link: 'explicit',
    });
    expect(linked.incidentLinks.some((l) => l.incident === 'i3')).toBe(false);
    // i2 opened 17h after d1 started: within 24 h, so d1 failed too.
    expect(linked.failedDeployments).toBe(3);
    expect(linked.unrecoveredFailures).toBe(1);
  });

  it('counts a deployment made while an incident is open as rework', () => {
    const events = [
      ...scenario,
      ev('incident_opened', h(13.5), { incident: 'i9', deployment: 'none' }),
    ];
    expect(computeDora(events, options).reworkRate).toBe(0.25);
  });

  it('counts a deployment event without an environment in production, whichever is measured', () => {
    const events = [
      ev('deploy_started', h(1), { commit: 'c1', deployment: 'd1' }),
      ev('deploy_finished', h(1.5), { commit: 'c1', deployment: 'd1', result: 'success' }),
      ev('deploy_started', h(2), { environment: 'staging', commit: 'c2', deployment: 'd2' }),
      ev('rollback_triggered', h(2.5), { deployment: 'd2' }),
    ];
    const production = computeDora(events, options);
    const staging = computeDora(events, { ...options, environment: 'staging' });
    expect([production.deployments, production.failedDeployments]).toEqual([1, 0]);
    // The rollback without an environment is in production, where d2 does not exist.
    expect([staging.deployments, staging.failedDeployments]).toEqual([1, 0]);
  });

  it('counts a stage span in the window of its later stage, from the first time of each stage', () => {
    const events = [
      ev('commit_created', h(-30), { commit: 'c1' }),
      ev('tests_passed', h(2), { commit: 'c1' }),
      ev('commit_created', h(3), { commit: 'c1' }),
      ev('commit_created', h(20), { commit: 'c2' }),
      ev('tests_passed', h(30), { commit: 'c2' }),
    ];
    // c1's change began before the window: 32 h; c2's span ends after it.
    expect(computeDora(events, options).stageLatency).toEqual([
      { from: 'commit_created', to: 'tests_passed', p50: 32 * 3_600, p90: 32 * 3_600, count: 1 },
    ]);
  });

  it('lists the links of the incidents opened in the window only', () => {
    const events = [
      ev('deploy_started', h(-10), { ...prod, commit: 'c1', deployment: 'd1' }),
      ev('incident_opened', h(-9), { incident: 'before' }),
      ev('incident_opened', h(1), { incident: 'inside', deployment: 'd1' }),
    ];
    expect(computeDora(events, options).incidentLinks).toEqual([
      { incident: 'inside', deployment: 'd1', link: 'explicit' },
    ]);
  });

  it('filters by service', () => {
    expect(computeDora(scenario, { ...options, service: 'billing' }).deployments).toBe(0);
  });
});

describe('computeDora (streaming accumulator) against the whole-ledger reference replay', () => {
  const types: DeliveryEventType[] = [
    'commit_created',
    'tests_passed',
    'policy_passed',
    'policy_failed',
    'deploy_started',
    'canary_started',
    'canary_promoted',
    'canary_failed',
    'deploy_finished',
    'rollback_triggered',
    'rollback_finished',
    'incident_opened',
    'incident_resolved',
  ];
  /** A messy ledger: several services, shared commits, staging, teams, late and orphan events. */
  const generate = (seed: number): LedgerEvent[] => {
    const random = seededRandom(seed);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const maybe = <T>(p: number, value: T): T | null => (random() < p ? value : null);
    return Array.from({ length: 40 + Math.floor(random() * 400) }, () => {
      const commit = `c${Math.floor(random() * 30)}`;
      return ev(pick(types), T0 + Math.floor(random() * 6) * 3_600_000 * random() * 10, {
        service: pick(['api', 'billing', 'web']),
        environment: pick([null, 'production', 'production', 'staging']),
        commit: maybe(0.8, commit),
        commits: maybe(0.1, [commit, `c${Math.floor(random() * 30)}`]),
        deployment: maybe(0.7, `d${Math.floor(random() * 25)}`),
        incident: maybe(0.8, `i${Math.floor(random() * 8)}`),
        result: pick([null, 'success', 'failure']),
        attributes: maybe(0.2, { team: pick(['a', 'b']), rework: random() < 0.3 }),
      });
    });
  };
  const sortedLinks = (r: DoraReport) => ({
    ...r,
    incidentLinks: [...r.incidentLinks].sort(
      (a, b) => compareText(a.incident, b.incident) || compareText(a.deployment, b.deployment),
    ),
    unlinkedIncidents: [...r.unlinkedIncidents].sort(
      (a, b) =>
        compareText(a.openedAt, b.openedAt) ||
        compareText(a.incident, b.incident) ||
        compareText(a.reason, b.reason),
    ),
  });

  it.each(Array.from({ length: 60 }, (_, i) => i + 1))(
    'agrees with the reference on generated ledger %i',
    (seed) => {
      const events = generate(seed);
      for (const variant of [
        { ...options, to: h(60) },
        { ...options, to: h(60), team: 'a' },
        { ...options, to: h(60), service: 'api', incidentWindowMs: 3_600_000 },
        { ...options, from: h(10), to: h(30) },
      ]) {
        expect(sortedLinks(computeDora(events, variant))).toEqual(
          sortedLinks(referenceComputeDora(events, variant)),
        );
      }
    },
  );

  it('exercises every branch the reference has on these ledgers', () => {
    const reports = Array.from({ length: 60 }, (_, i) =>
      computeDora(generate(i + 1), { ...options, to: h(60) }),
    );
    // A generator that produced only empty reports would make the comparison above vacuous.
    expect(reports.some((r) => r.failedDeployments > 0 && r.leadTimeSeconds.count > 0)).toBe(true);
    expect(reports.some((r) => r.incidentLinks.some((l) => l.link === 'inferred'))).toBe(true);
    expect(reports.some((r) => r.incidentLinks.some((l) => l.link === 'explicit'))).toBe(true);
    expect(reports.some((r) => (r.falsePositiveRate ?? 0) > 0)).toBe(true);
    expect(reports.some((r) => (r.reworkRate ?? 0) > 0)).toBe(true);
    expect(reports.some((r) => r.recoveryTimeSeconds.count > 0)).toBe(true);
  });
});

describe('typesDoraIgnores', () => {
  it('lists only types that mark no stage, belong to no deployment and signal no failure', () => {
    for (const type of typesDoraIgnores)
      expect(eventKinds[type]).toEqual({
        stage: null,
        belongsToDeployment: false,
        createsDeployment: false,
        failureSignal: null,
      });
  });

  it('changes no number when its events are left out, whatever they carry', () => {
    const random = seededRandom(41);
    const ignored = [...typesDoraIgnores];
    const noise: LedgerEvent[] = scenario.flatMap((e, i) =>
      ignored.map((type, k) =>
        ev(type, e.at + Math.floor(random() * 3) * 60_000, {
          ...prod,
          commit: e.commit ?? `c${i}`,
          deployment: e.deployment ?? `d${k}`,
          incident: `i${k}`,
          result: k % 2 === 0 ? 'failure' : 'success',
          attributes: { team: 'core', rework: true, checklist: 'release', failing: ['x'] },
        }),
      ),
    );
    const options = {
      from: T0,
      to: h(24),
      environment: 'production',
      incidentWindowMs: 86_400_000,
    };
    const without = computeDora(scenario, options);
    expect(without.deployments).toBeGreaterThan(0);
    expect(computeDora([...scenario, ...noise], options)).toEqual(without);
  });
});
