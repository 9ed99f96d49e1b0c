import { describe, expect, it } from 'vitest';
import { hour } from '../../../testing/ledger-event.ts';
import type { Deployment } from './collect-deployments.ts';
import { countRework } from './rework.ts';

const started = (at: number, rework = false): Deployment => ({
  id: `d${at}`,
  commit: null,
  commits: null,
  team: null,
  startedAt: at,
  deployedAt: NaN,
  firstFailure: Infinity,
  rollbacksTriggered: 0,
  rollbacksOk: null,
  rework,
  incidentsResolved: null,
  index: 0,
});

describe('countRework', () => {
  it('counts deployments started while an incident was open, bounds included as DEFINITIONS.md says', () => {
    const incidents = [{ opened: hour(2), resolved: hour(4) }];
    // Opened at the start counts; resolved at the start does not.
    expect(countRework([started(hour(1))], incidents)).toBe(0);
    expect(countRework([started(hour(2))], incidents)).toBe(1);
    expect(countRework([started(hour(3))], incidents)).toBe(1);
    expect(countRework([started(hour(4))], incidents)).toBe(0);
  });

  it('keeps an unresolved incident open for every later deployment', () => {
    const deployments = [started(hour(1)), started(hour(5)), started(hour(100))];
    expect(countRework(deployments, [{ opened: hour(3), resolved: null }])).toBe(2);
  });

  it('takes overlapping incidents in any order', () => {
    const deployments = [started(hour(3)), started(hour(6)), started(hour(8))];
    const incidents = [
      { opened: hour(5), resolved: hour(7) },
      { opened: hour(2), resolved: hour(4) },
    ];
    expect(countRework(deployments, incidents)).toBe(2);
  });

  it('counts a deployment whose events said rework or hotfix, incident or not', () => {
    expect(countRework([started(hour(1), true), started(hour(2))], [])).toBe(1);
  });
});
