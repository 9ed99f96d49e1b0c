import { describe, expect, it } from 'vitest';
import { parseDeliveryEvent, type DeliveryEvent } from '../../core/delivery/delivery-event.ts';
import { skippedCases, type ConformanceSkip } from '../../testing/skipped-cases.ts';
import type { EventReader } from './event-reader.ts';
import { detectEventFormat, isEventFormat } from './event-readers.ts';

/** Values of one format, written by the reader's own test (its folder owns its samples). */
export type EventReaderSamples = {
  /**
   * Values the reader claims and maps, each with the event candor stores for it (`event`), or
   * the events when it maps to several (`events`).
   */
  events: readonly ({ name: string; value: unknown } & (
    { event: DeliveryEvent } | { events: readonly DeliveryEvent[] }
  ))[];
  /** Values the reader claims but candor does not record: mapped to no event (ignored). */
  ignored?: readonly { name: string; value: unknown }[] | undefined;
  /** Values the reader claims but cannot map, each with what its problem says. */
  unmappable?: readonly { name: string; value: unknown; message: RegExp }[] | undefined;
  /** Values of other formats (candor JSON, another reader's) that the reader must not claim. */
  foreign?: readonly { name: string; value: unknown }[] | undefined;
};

/** The cases of the suite, by name: what a reader's `skip` may list. */
export const eventReaderConformanceCases = [
  'claims its samples',
  'maps its samples to valid events',
  'is chosen for its samples',
  'ignores the kinds it does not record',
  'refuses what it cannot map, as a value',
  'claims no value of another format',
  'never throws on garbage',
] as const;
export type EventReaderConformanceCase = (typeof eventReaderConformanceCases)[number];

/** The suite's fixed clock: every sample happened before it (the core reads no clock). */
const context = { receivedAt: '2030-01-01T00:00:00.000Z' };

/** A chain of `depth` nested arrays: a reader must not recurse into what it does not need. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** JSON values no event format is made of, and shapes that only look like one. */
const garbage: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['a number', 42],
  ['a string', 'deploy_finished'],
  ['true', true],
  ['an empty array', []],
  ['an array of events', [{ type: 'deploy_finished' }]],
  ['an empty object', {}],
  ['a null context', { context: null, subject: null }],
  ['an array subject', { context: {}, subject: [] }],
  [
    'a CloudEvent whose data is a string',
    { specversion: '1.0', type: 'dev.cdevents.x', data: 'x' },
  ],
  ['a CloudEvent with a numeric type', { specversion: 1, type: {} }],
  ['an object without a prototype', Object.create(null) as unknown],
  ['arrays nested 100,000 deep', nested(100_000)],
];

/**
 * Registers, in a `describe` block named after the reader, the cases every event reader passes:
 * it claims and maps its samples to the events candor stores (after `parseDeliveryEvent`), is the
 * reader `parseEventInput` picks for them, maps the kinds candor does not record to no event
 * (ignored, never an error), refuses what it cannot map as a value with a `path`,
 * claims no value of another format, and never throws on garbage. Call it from the reader's own
 * test with the samples of its folder. A case listed in `skip` is not registered at all; the
 * reader's readme lists it with the reason. Throws while the file is collected when a skip has no
 * reason or names no case, or when the reader is not registered.
 */
export function runEventReaderConformance(options: {
  reader: EventReader;
  samples: EventReaderSamples;
  skip?: readonly ConformanceSkip<EventReaderConformanceCase>[];
}): void {
  const { reader, samples } = options;
  const suite = `event reader conformance: ${reader.id}`;
  if (!isEventFormat(reader.id)) throw new Error(`${suite}: not in event-readers.ts`);
  const skipped = skippedCases(suite, eventReaderConformanceCases, options.skip);
  const named = <T extends { name: string }>(list: readonly T[] | undefined, what: string) => {
    if (list === undefined || list.length === 0) {
      throw new Error(`${suite}: this case needs samples.${what}, or a skip with a reason`);
    }
    return list.map((sample) => [sample.name, sample] as const);
  };

  /** Every case registers its `it` blocks here; a case without one is a type error. */
  const cases: Record<EventReaderConformanceCase, () => void> = {
    'claims its samples': () =>
      it.each(named(samples.events, 'events'))('claims %s', (_name, { value }) => {
        expect(reader.detect(value)).toBe(true);
      }),

    'maps its samples to valid events': () =>
      it.each(named(samples.events, 'events'))('maps %s', (_name, sample) => {
        const mapped = reader.map(sample.value);
        expect(mapped.ok).toBe(true);
        if (mapped.ok) {
          const expected = 'events' in sample ? sample.events : [sample.event];
          expect(mapped.value.map((event) => parseDeliveryEvent(event, context))).toEqual(
            expected.map((value) => ({ ok: true, value })),
          );
        }
      }),

    'is chosen for its samples': () =>
      it.each(named(samples.events, 'events'))('is chosen for %s', (_name, { value }) => {
        expect(detectEventFormat(value)).toBe(reader.id);
      }),

    'ignores the kinds it does not record': () =>
      it.each(named(samples.ignored, 'ignored'))('ignores %s', (_name, { value }) => {
        expect(detectEventFormat(value)).toBe(reader.id);
        expect(reader.map(value)).toEqual({ ok: true, value: [] });
      }),

    'refuses what it cannot map, as a value': () =>
      it.each(named(samples.unmappable, 'unmappable'))(
        'refuses %s with a message and a path',
        (_name, { value, message }) => {
          expect(reader.detect(value)).toBe(true);
          const mapped = reader.map(value);
          expect(mapped.ok).toBe(false);
          if (mapped.ok) return;
          expect(mapped.errors[0]?.message).toMatch(message);
          expect(mapped.errors.every((p) => typeof p.path === 'string')).toBe(true);
        },
      ),

    'claims no value of another format': () =>
      it.each(named(samples.foreign, 'foreign'))('does not claim %s', (_name, { value }) => {
        expect(reader.detect(value)).toBe(false);
      }),

    'never throws on garbage': () =>
      it.each(garbage)('answers %s with a value, never a throw', (_name, value) => {
        expect(typeof reader.detect(value)).toBe('boolean');
        const mapped = reader.map(value);
        if (!mapped.ok) {
          expect(mapped.errors.length).toBeGreaterThan(0);
          for (const problem of mapped.errors) expect(problem.message).toBeTruthy();
        }
      }),
  };

  describe(suite, () => {
    for (const name of eventReaderConformanceCases) if (!skipped.has(name)) cases[name]();
  });
}
