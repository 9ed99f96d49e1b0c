import { describe, expect, it } from 'vitest';
import { runEventReaderConformance } from '../event-reader-conformance.ts';
import { cdeventsEventReader, isCdEventEnvelope, mapCdEvent } from './cdevents-event-reader.ts';

const deployed = {
  context: {
    specversion: '0.5.0',
    id: 'ev-1',
    source: 'argocd/prod',
    type: 'dev.cdevents.service.deployed.0.3.0',
    timestamp: '2026-11-20T10:00:00Z',
  },
  subject: {
    id: 'api',
    content: { environment: { id: 'production' }, artifactId: 'pkg:oci/api@sha256:1' },
  },
  customData: { commit: 'abc', deployment: 'd-1' },
};

const rolledBack = {
  context: {
    specversion: '0.5.0',
    id: 'rb-1',
    source: 'argocd/prod',
    type: 'dev.cdevents.service.rolledback.0.3.0',
    timestamp: '2026-11-20T10:30:00Z',
  },
  subject: { id: 'api', content: { environment: { id: 'production' } } },
  customData: { deployment: 'd-1' },
};

describe('mapCdEvent', () => {
  it('maps a bare service.deployed CDEvent to a successful deploy_finished', () => {
    expect(mapCdEvent(deployed)).toEqual({
      ok: true,
      value: [
        {
          type: 'deploy_finished',
          id: 'ev-1',
          source: 'argocd/prod',
          occurredAt: '2026-11-20T10:00:00Z',
          service: 'api',
          environment: 'production',
          commit: 'abc',
          deployment: 'd-1',
          result: 'success',
        },
      ],
    });
  });

  it('reads a structured CloudEvent whose data is the CDEvent', () => {
    const structured = {
      specversion: '1.0',
      id: 'ev-1',
      source: 'argocd/prod',
      type: 'dev.cdevents.service.deployed.0.3.0',
      data: deployed,
    };
    expect(isCdEventEnvelope(structured)).toBe(true);
    expect(mapCdEvent(structured)).toEqual(mapCdEvent(deployed));
  });

  it('maps incidents with their id and service, and test suites by outcome', () => {
    const incident = mapCdEvent({
      context: {
        id: 'i',
        source: 'pagerduty',
        type: 'dev.cdevents.incident.detected.0.3.0',
        timestamp: '2026-11-20T11:00:00Z',
      },
      subject: {
        id: 'INC-7',
        content: { environment: { id: 'production' }, service: { id: 'api' } },
      },
    });
    expect(incident).toMatchObject({
      ok: true,
      value: [{ type: 'incident_opened', incident: 'INC-7', service: 'api' }],
    });
    const failedSuite = mapCdEvent({
      context: {
        id: 't',
        source: 'ci',
        type: 'dev.cdevents.testsuiterun.finished.0.3.0',
        timestamp: '2026-11-20T09:00:00Z',
      },
      subject: { id: 'suite', content: { outcome: 'failure', environment: { id: 'ci' } } },
      customData: { service: 'api', commit: 'abc' },
    });
    expect(failedSuite).toMatchObject({
      ok: true,
      value: [{ type: 'tests_failed', service: 'api', commit: 'abc' }],
    });
  });

  it('takes candor fields from customData.candor, e.g. for a custom type', () => {
    const custom = mapCdEvent({
      context: {
        id: 'p',
        source: 'opa',
        type: 'dev.cdeventsx.candor-policy.evaluated.0.1.0',
        timestamp: '2026-11-20T09:30:00Z',
      },
      subject: { id: 'policy', content: {} },
      customData: { candor: { type: 'policy_failed', service: 'api', commit: 'abc' } },
    });
    expect(custom).toMatchObject({
      ok: true,
      value: [{ type: 'policy_failed', source: 'opa', id: 'p' }],
    });
  });

  it('records a service.rolledback as the rollback triggered and finished, each with its own id', () => {
    expect(mapCdEvent(rolledBack)).toEqual({
      ok: true,
      value: [
        {
          type: 'rollback_triggered',
          id: 'rb-1:triggered',
          source: 'argocd/prod',
          occurredAt: '2026-11-20T10:30:00Z',
          service: 'api',
          environment: 'production',
          deployment: 'd-1',
        },
        {
          type: 'rollback_finished',
          id: 'rb-1',
          source: 'argocd/prod',
          occurredAt: '2026-11-20T10:30:00Z',
          service: 'api',
          environment: 'production',
          deployment: 'd-1',
          result: 'success',
        },
      ],
    });
  });

  it.each([
    ['pipelinerun.queued', 'dev.cdevents.pipelinerun.queued.0.2.0'],
    ['pipelinerun.finished', 'dev.cdevents.pipelinerun.finished.0.2.0'],
    ['a custom type without customData.candor.type', 'dev.cdeventsx.acme-thing.done.0.1.0'],
  ])('ignores a type candor does not record (%s): no event, no problem', (_name, type) => {
    expect(
      mapCdEvent({
        context: { type, id: 'x', source: 's', timestamp: '2026-11-20T09:00:00Z' },
        subject: { id: 's' },
      }),
    ).toEqual({ ok: true, value: [] });
  });

  it.each([
    [{ context: { type: 'com.example.thing', id: 'x' }, subject: {} }, /not a CDEvents type/],
    [{ hello: 'world' }, /context and subject/],
  ])('explains what it cannot map: %j', (value, message) => {
    const mapped = mapCdEvent(value);
    expect(mapped.ok).toBe(false);
    if (!mapped.ok)
      expect(mapped.errors).toEqual([
        { path: 'context.type', message: expect.stringMatching(message) },
      ]);
  });
});

runEventReaderConformance({
  reader: cdeventsEventReader,
  samples: {
    events: [
      {
        name: 'a bare service.deployed CDEvent',
        value: deployed,
        event: {
          type: 'deploy_finished',
          id: 'ev-1',
          source: 'argocd/prod',
          occurredAt: '2026-11-20T10:00:00Z',
          service: 'api',
          environment: 'production',
          commit: 'abc',
          deployment: 'd-1',
          result: 'success',
        },
      },
      {
        name: 'a structured CloudEvent carrying a change.merged CDEvent',
        value: {
          specversion: '1.0',
          id: 'm-1',
          source: 'github/acme/api',
          type: 'dev.cdevents.change.merged.0.2.0',
          data: {
            context: {
              id: 'm-1',
              source: 'github/acme/api',
              type: 'dev.cdevents.change.merged.0.2.0',
              timestamp: '2026-11-20T08:00:00Z',
            },
            subject: { id: 'c0ffee', content: {} },
            customData: { service: 'api' },
          },
        },
        event: {
          type: 'commit_created',
          id: 'm-1',
          source: 'github/acme/api',
          occurredAt: '2026-11-20T08:00:00Z',
          service: 'api',
          commit: 'c0ffee',
        },
      },
      {
        name: 'a service.rolledback CDEvent (two events)',
        value: rolledBack,
        events: [
          {
            type: 'rollback_triggered',
            id: 'rb-1:triggered',
            source: 'argocd/prod',
            occurredAt: '2026-11-20T10:30:00Z',
            service: 'api',
            environment: 'production',
            deployment: 'd-1',
          },
          {
            type: 'rollback_finished',
            id: 'rb-1',
            source: 'argocd/prod',
            occurredAt: '2026-11-20T10:30:00Z',
            service: 'api',
            environment: 'production',
            deployment: 'd-1',
            result: 'success',
          },
        ],
      },
    ],
    ignored: [
      {
        name: 'a pipelinerun.finished CloudEvent (a type candor does not record)',
        value: {
          specversion: '1.0',
          id: 'p-1',
          source: 'tekton',
          type: 'dev.cdevents.pipelinerun.finished.0.2.0',
          data: {
            context: {
              id: 'p-1',
              source: 'tekton',
              type: 'dev.cdevents.pipelinerun.finished.0.2.0',
              timestamp: '2026-11-20T09:00:00Z',
            },
            subject: { id: 'run-1', content: { pipelineName: 'build', outcome: 'success' } },
          },
        },
      },
    ],
    unmappable: [
      {
        name: 'a type that is no CDEvents type',
        value: { context: { type: 'com.example.thing', id: 'x' }, subject: {} },
        message: /not a CDEvents type/,
      },
      {
        name: 'a CloudEvent of a CDEvents type whose data is no CDEvent',
        value: { specversion: '1.0', type: 'dev.cdevents.service.deployed.0.3.0', data: 'x' },
        message: /context and subject/,
      },
    ],
    foreign: [
      {
        name: 'a candor event',
        value: { type: 'deploy_finished', service: 'api', occurredAt: '2026-11-20T10:00:00Z' },
      },
      {
        name: 'a CloudEvent of another vocabulary',
        value: { specversion: '1.0', type: 'com.github.push', source: 'gh', id: '1', data: {} },
      },
    ],
  },
});
