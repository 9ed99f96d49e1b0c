import { describe, expect, it } from 'vitest';
import { ChaosExperiment } from './chaos-experiment.ts';
import { validExperiment } from '../../testing/chaos-experiment-fixture.ts';
import {
  decideChaosReadiness,
  errorBudgetRemaining,
  type ReadinessEvent,
} from './decide-chaos-readiness.ts';

const experiment = ChaosExperiment.parse(validExperiment);
const now = new Date('2026-11-20T12:00:00Z');
const event = (type: string, extra: Partial<ReadinessEvent> = {}): ReadinessEvent => ({
  type,
  occurredAt: '2026-11-20T10:00:00Z',
  service: 'payments',
  environment: 'staging',
  ...extra,
});
const decide = (over: Partial<Parameters<typeof decideChaosReadiness>[0]> = {}) =>
  decideChaosReadiness({
    experiment,
    budget: { kind: 'measured', errorRatio: 0.0005 },
    events: [],
    freezes: [],
    now,
    ...over,
  });
const statusOf = (r: ReturnType<typeof decide>, check: string) =>
  r.checks.find((c) => c.check === check)?.status;

describe('decideChaosReadiness', () => {
  it('computes the budget left as 1 − ratio ÷ (1 − objective), never below 0', () => {
    expect(errorBudgetRemaining(0.0005, 0.999)).toBeCloseTo(0.5, 9);
    expect(errorBudgetRemaining(0.01, 0.999)).toBe(0);
  });

  it('says yes when the budget suffices and nothing blocks', () => {
    const r = decide();
    expect(r.answer).toBe('yes');
    expect(r.errorBudgetRemaining).toBeCloseTo(0.5, 9);
  });

  it('says no when less budget remains than required', () => {
    const r = decide({ budget: { kind: 'measured', errorRatio: 0.0009 } });
    expect(r.answer).toBe('no');
    expect(r.checks[0]?.message).toContain(
      'only 10% of the checkout-availability error budget remains (at least 25% required)',
    );
  });

  it('says unknown when the budget cannot be read and nothing else blocks', () => {
    expect(decide({ budget: { kind: 'unknown', reason: 'down' } }).answer).toBe('unknown');
  });

  it('says no over unknown when an incident is open', () => {
    const r = decide({
      budget: { kind: 'unknown', reason: 'down' },
      events: [event('incident_opened', { incident: 'INC-1' })],
    });
    expect(r.answer).toBe('no');
    expect(statusOf(r, 'incident')).toBe('fail');
  });

  it('counts a resolved incident as closed, another open one as open', () => {
    const events = [
      event('incident_opened', { incident: 'INC-1' }),
      event('incident_opened', { incident: 'INC-2' }),
      event('incident_resolved', { incident: 'INC-1' }),
    ];
    expect(decide({ events }).checks.find((c) => c.check === 'incident')?.message).toContain(
      'INC-2',
    );
    expect(
      decide({ events: [...events, event('incident_resolved', { incident: 'INC-2' })] }).answer,
    ).toBe('yes');
  });

  it('says no while a release of the service is in progress in its environment, yes once it finished', () => {
    const started = event('deploy_started', { deployment: 'd1' });
    expect(statusOf(decide({ events: [started] }), 'release')).toBe('fail');
    expect(
      decide({ events: [started, event('deploy_finished', { deployment: 'd1' })] }).answer,
    ).toBe('yes');
    expect(
      decide({ events: [event('deploy_started', { deployment: 'd2', environment: 'production' })] })
        .answer,
    ).toBe('yes');
    expect(decide({ events: [event('deploy_started', { service: 'search' })] }).answer).toBe('yes');
  });

  it('says no inside a change freeze of the service, yes outside it or for other services', () => {
    const freeze = {
      start: '2026-11-20T00:00:00Z',
      end: '2026-11-21T00:00:00Z',
      reason: 'Black Friday',
    };
    expect(decide({ freezes: [freeze] }).checks.find((c) => c.check === 'freeze')?.message).toBe(
      'a change freeze runs until 2026-11-21T00:00:00Z (Black Friday)',
    );
    expect(decide({ freezes: [{ ...freeze, end: '2026-11-20T12:00:00Z' }] }).answer).toBe('yes');
    expect(decide({ freezes: [{ ...freeze, services: ['search'] }] }).answer).toBe('yes');
  });
});
