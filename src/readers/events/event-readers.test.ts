import { describe, expect, it } from 'vitest';
import type { EventReader } from './event-reader.ts';
import {
  detectEventFormat,
  eventFormats,
  eventReaders,
  parseEventInput,
  type EventFormat,
} from './event-readers.ts';

const context = { receivedAt: '2026-11-22T12:00:00.000Z' };
const cdevent = (type: string, timestamp = '2026-11-20T10:00:00Z') => ({
  context: { id: 'x1', source: 'ci', type, timestamp },
  subject: { id: 'api', content: { environment: { id: 'production' } } },
});

describe('parseEventInput', () => {
  it('maps a CDEvent, then validates it as a candor event', () => {
    expect(parseEventInput(cdevent('dev.cdevents.service.deployed.0.2.0'), context)).toEqual({
      ok: true,
      value: [
        {
          type: 'deploy_finished',
          id: 'x1',
          source: 'ci',
          occurredAt: '2026-11-20T10:00:00Z',
          service: 'api',
          environment: 'production',
          result: 'success',
        },
      ],
    });
  });

  it('applies the limits to CDEvents too', () => {
    const result = parseEventInput(
      cdevent('dev.cdevents.service.deployed.0.2.0', '3026-01-01T00:00:00Z'),
      context,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['occurredAt']);
  });

  it('answers no event for a CDEvent type candor does not map (the caller counts it as ignored)', () => {
    expect(parseEventInput(cdevent('dev.cdevents.pipelinerun.queued.0.2.0'), context)).toEqual({
      ok: true,
      value: [],
    });
  });

  it('names the field of a mapped event that is invalid', () => {
    const result = parseEventInput(
      cdevent('dev.cdevents.service.rolledback.0.2.0', 'yesterday'),
      context,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['occurredAt', 'occurredAt']);
  });

  it('validates anything else as candor JSON, naming the fields', () => {
    const result = parseEventInput(
      { type: 'deploy_finished', occurredAt: '2026-11-20T10:00:00Z' },
      context,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['service']);
    expect(parseEventInput(null, context)).toMatchObject({ ok: false, errors: [{ path: '' }] });
  });
});

describe('eventReaders', () => {
  it('asks candor, which claims every value, last', () => {
    const readers: Record<EventFormat, EventReader> = eventReaders;
    expect(eventFormats.filter((f) => readers[f].isCatchAll === true)).toEqual(['candor']);
    expect(eventReaders.candor.detect(cdevent('dev.cdevents.service.deployed.0.2.0'))).toBe(true);
    expect(detectEventFormat(cdevent('dev.cdevents.service.deployed.0.2.0'))).toBe('cdevents');
    expect(detectEventFormat({ type: 'deploy_finished' })).toBe('candor');
  });
});
