import { describe, expect, it } from 'vitest';
import { hour, inReplayOrder, ledgerEvent as ev } from '../../../testing/ledger-event.ts';
import { createDeploymentCollector } from './collect-deployments.ts';
import type { LedgerEvent } from './ledger-event.ts';
import { createIncidentCollector, linkIncidents } from './link-incidents.ts';

const prod = { environment: 'production' };
const deploys = [
  ev('deploy_started', hour(1), { ...prod, deployment: 'd1', commit: 'c1' }),
  ev('deploy_started', hour(5), { ...prod, deployment: 'd2', commit: 'c2', commits: ['c1', 'c2'] }),
];

const link = (incidents: LedgerEvent[], incidentWindowMs = 24 * 3_600_000) => {
  const deployments = createDeploymentCollector({ environment: 'production' });
  const collector = createIncidentCollector();
  for (const event of inReplayOrder([...deploys, ...incidents])) {
    deployments.add(event);
    collector.add(event);
  }
  const production = deployments.finish();
  const linked = linkIncidents(collector, production, {
    incidentWindowMs,
    from: hour(0),
    to: hour(24),
  });
  return { ...linked, deployments: production.list };
};

describe('linkIncidents', () => {
  it('links explicitly by deployment id, or by commit to the earliest deployment carrying it', () => {
    const { links } = link([
      ev('incident_opened', hour(6), { incident: 'by-id', deployment: 'd2' }),
      ev('incident_opened', hour(7), { incident: 'by-commit', commit: 'c1' }),
    ]);
    expect(links.map(({ incident, deployment, link }) => [incident, deployment, link])).toEqual([
      ['by-id', 'd2', 'explicit'],
      ['by-commit', 'd1', 'explicit'],
    ]);
  });

  it('infers the latest deployment started within the incident window, and nothing beyond it', () => {
    const { links } = link(
      [
        ev('incident_opened', hour(6), { incident: 'near' }),
        ev('incident_opened', hour(9), { incident: 'far' }),
        ev('incident_opened', hour(0.5), { incident: 'before-any' }),
      ],
      2 * 3_600_000,
    );
    expect(links.map(({ incident, deployment, link }) => [incident, deployment, link])).toEqual([
      ['near', 'd2', 'inferred'],
    ]);
  });

  it('leaves an incident naming an unknown deployment or commit unlinked, not guessed, and says why', () => {
    const { links, incidents, unlinked } = link(
      [
        ev('incident_opened', hour(6), { incident: 'a', deployment: 'nope' }),
        ev('incident_opened', hour(6), { incident: 'b', commit: 'nope' }),
        ev('incident_opened', hour(0.5), { incident: 'c' }),
        ev('incident_opened', hour(30), { incident: 'after-the-window', commit: 'nope' }),
      ],
      2 * 3_600_000,
    );
    expect(links).toEqual([]);
    // Unlinked incidents still count for rework.
    expect(incidents).toHaveLength(4);
    expect(unlinked.map(({ incident, reason, openedAt }) => [incident, reason, openedAt])).toEqual([
      ['c', 'no-recent-deployment', '2026-11-01T00:30:00.000Z'],
      ['a', 'unknown-deployment', '2026-11-01T06:00:00.000Z'],
      ['b', 'unknown-commit', '2026-11-01T06:00:00.000Z'],
    ]);
  });

  it('makes an inferred incident a failure signal only within the incident window, an explicit one whatever the delay', () => {
    const { deployments } = link(
      [
        ev('incident_opened', hour(0.5), { incident: 'before', deployment: 'd1' }),
        ev('incident_opened', hour(4), { incident: 'late', deployment: 'd1' }),
        ev('incident_opened', hour(6), { incident: 'in', deployment: 'd2' }),
      ],
      2 * 3_600_000,
    );
    // d1: the incident before its start is no signal; the one 3 h later is (explicit).
    expect(deployments.map((d) => d.firstFailure)).toEqual([hour(4), hour(6)]);
    expect(deployments[0]?.incidentsResolved).toEqual([null, null]);
    const inferred = link([ev('incident_opened', hour(8), { incident: 'late' })], 2 * 3_600_000);
    expect(inferred.links).toEqual([]);
    expect(inferred.deployments.map((d) => d.firstFailure)).toEqual([Infinity, Infinity]);
  });

  it('records the latest resolution of each incident on its deployment, and names unnamed ones', () => {
    const { links, incidents, deployments } = link([
      ev('incident_opened', hour(6), { deployment: 'd2' }),
      ev('incident_opened', hour(7), { incident: 'i', deployment: 'd2' }),
      ev('incident_resolved', hour(8), { incident: 'i' }),
      ev('incident_resolved', hour(9), { incident: 'i' }),
    ]);
    expect(links[0]?.incident).toBe('(unnamed at 2026-11-01T06:00:00.000Z)');
    expect(deployments[1]?.incidentsResolved).toEqual([null, hour(9)]);
    expect(incidents).toEqual([
      { opened: hour(6), resolved: null },
      { opened: hour(7), resolved: hour(9) },
    ]);
  });
});
