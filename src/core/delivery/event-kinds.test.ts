import { describe, expect, it } from 'vitest';
import { DeliveryEvent } from './delivery-event.ts';
import {
  deliveryEventTypes,
  deliveryResults,
  deploymentEventTypes,
  eventKinds,
  pipelineStages,
} from './event-kinds.ts';

describe('eventKinds', () => {
  it('lists every event type in pipeline order', () => {
    expect(deliveryEventTypes).toEqual([
      'commit_created',
      'artifact_built',
      'tests_passed',
      'tests_failed',
      'security_scanned',
      'policy_passed',
      'policy_failed',
      'deploy_started',
      'canary_started',
      'canary_promoted',
      'canary_failed',
      'deploy_finished',
      'watch_started',
      'watch_finished',
      'rollback_triggered',
      'rollback_finished',
      'rollback_drill',
      'release_approved',
      'incident_opened',
      'incident_resolved',
      'game_day',
    ]);
  });

  it('derives the stages of DEFINITIONS.md "stage latency", in order', () => {
    expect(pipelineStages).toEqual([
      'commit_created',
      'artifact_built',
      'tests_passed',
      'security_scanned',
      'policy_passed',
      'deploy_started',
      'canary_promoted',
    ]);
  });

  it('marks only stages that exist, and a canary start as the deployment starting', () => {
    for (const type of deliveryEventTypes) {
      const { stage } = eventKinds[type];
      if (stage !== null) expect(pipelineStages).toContain(stage);
    }
    expect(eventKinds.canary_started.stage).toBe('deploy_started');
  });

  it('derives the deployment events, and only deploy and canary starts create one', () => {
    expect([...deploymentEventTypes]).toEqual([
      'deploy_started',
      'canary_started',
      'canary_promoted',
      'canary_failed',
      'deploy_finished',
      'watch_started',
      'watch_finished',
      'rollback_triggered',
      'rollback_finished',
    ]);
    expect(deliveryEventTypes.filter((type) => eventKinds[type].createsDeployment)).toEqual([
      'deploy_started',
      'canary_started',
      'deploy_finished',
    ]);
    for (const type of deliveryEventTypes)
      if (eventKinds[type].createsDeployment)
        expect(eventKinds[type].belongsToDeployment).toBe(true);
  });

  it('gives the failure signals of DEFINITIONS.md "failed deployment"', () => {
    const signals = Object.fromEntries(
      deliveryEventTypes
        .filter((type) => eventKinds[type].failureSignal !== null)
        .map((type) => [type, eventKinds[type].failureSignal]),
    );
    expect(signals).toEqual({
      canary_failed: 'always',
      deploy_finished: 'on-failure-result',
      rollback_triggered: 'always',
      incident_opened: 'linked-incident',
    });
  });

  it('is the vocabulary the event schema accepts', () => {
    const event = { service: 'api', occurredAt: '2026-11-01T00:00:00Z' };
    for (const type of deliveryEventTypes)
      for (const result of deliveryResults)
        expect(DeliveryEvent.safeParse({ ...event, type, result }).success).toBe(true);
    expect(DeliveryEvent.safeParse({ ...event, type: 'deploy_done' }).success).toBe(false);
    expect(
      DeliveryEvent.safeParse({ ...event, type: 'deploy_finished', result: 'ok' }).success,
    ).toBe(false);
  });
});
