import { describe, expect, it } from 'vitest';
import { skippedCases, type ConformanceSkip } from '../testing/skipped-cases.ts';
import type { AnyMetricSource, Series, SourceClient, SourceRequest } from './metric-source.ts';
import { metricSources } from './metric-sources.ts';

/** The queries the suite asks, and the answers every source's fixtures must give. */
export const conformanceRequests = {
  range: { kind: 'range', query: 'up{version="stable"}', start: 1000, end: 1120, step: 60 },
  instant: { kind: 'instant', query: 'up{version="stable"}', time: 1120 },
} as const satisfies Record<string, SourceRequest>;

/** `range`: three points, the middle one NaN; `instant`: one point. */
export const conformanceSeries: { range: Series[]; instant: Series[] } = {
  range: [
    {
      labels: { version: 'stable' },
      points: [
        { time: 1000, value: 1 },
        { time: 1060, value: null },
        { time: 1120, value: 2.5 },
      ],
    },
  ],
  instant: [{ labels: { version: 'stable' }, points: [{ time: 1120, value: 3 }] }],
};

/**
 * What an implementation's fixture serves, one per case: `series` answers `conformanceRequests`
 * with `conformanceSeries`; `empty` with no series; `garbage` with a body the API never sends;
 * `refused` refuses the query (bad PromQL); `flaky-server` fails once with a 5xx, then answers as
 * `series`; `down-server` always fails with a 5xx; `hang` never answers; `unreachable` is not
 * there at all.
 */
export const sourceScenarios = [
  'series',
  'empty',
  'garbage',
  'refused',
  'flaky-server',
  'down-server',
  'hang',
  'unreachable',
] as const;
export type SourceScenario = (typeof sourceScenarios)[number];

/** An opened fixture: the client, how many requests reached the fixture, and its cleanup. */
export type SourceFixture = {
  client: SourceClient;
  requests: () => number;
  close: () => Promise<void>;
};

/** The cases of the suite, by name: what a source's `skip` may list. */
export const metricSourceConformanceCases = [
  'answers a range query',
  'answers an instant query',
  'answers an empty series',
  'refuses garbage',
  'names a refused query',
  'retries a server error',
  'gives up on a lasting server error',
  'times out',
  'stops when aborted',
  'stops a slow answer when aborted',
  'reports an unreachable source',
] as const;
export type MetricSourceConformanceCase = (typeof metricSourceConformanceCases)[number];

/**
 * Registers, in a `describe` block named after the source, what every metric source does: it
 * answers range and instant queries (NaN as null), an empty answer is no series (not an error),
 * garbage and refused queries are problems naming the query, a passing 5xx is retried and a
 * lasting one given up after a bounded number of attempts, a hanging source times out, an
 * aborted query stops, and an absent source is `unreachable`; never a throw. `open(scenario)`
 * makes the implementation's fixture for a scenario (its timeout short: the suite waits at most
 * 10 s). A case in `skip` is not registered; the source's readme names it with the reason.
 */
export function runMetricSourceConformance(options: {
  source: AnyMetricSource;
  open(scenario: SourceScenario): Promise<SourceFixture>;
  skip?: readonly ConformanceSkip<MetricSourceConformanceCase>[];
}): void {
  const { source } = options;
  const suite = `metric source conformance: ${source.id}`;
  if ((metricSources as Record<string, AnyMetricSource>)[source.id] !== source)
    throw new Error(`${suite}: not in metric-sources.ts`);
  const skipped = skippedCases(suite, metricSourceConformanceCases, options.skip);

  const withFixture = async (
    scenario: SourceScenario,
    check: (fixture: SourceFixture) => Promise<void>,
  ) => {
    const fixture = await options.open(scenario);
    try {
      await check(fixture);
    } finally {
      await fixture.close();
    }
  };

  const cases: Record<MetricSourceConformanceCase, () => void> = {
    'answers a range query': () =>
      it('answers a range query with its series, NaN as null, and the body it returned', () =>
        withFixture('series', async ({ client }) => {
          const answer = await client.query(conformanceRequests.range);
          expect(answer.ok && answer.value.series).toEqual(conformanceSeries.range);
          expect(answer.ok && answer.value.body.length).toBeGreaterThan(0);
        })),

    'answers an instant query': () =>
      it('answers an instant query with one point per series', () =>
        withFixture('series', async ({ client }) => {
          const answer = await client.query(conformanceRequests.instant);
          expect(answer.ok && answer.value.series).toEqual(conformanceSeries.instant);
        })),

    'answers an empty series': () =>
      it('answers a query that matches nothing with no series, not a problem', () =>
        withFixture('empty', async ({ client }) => {
          const answer = await client.query(conformanceRequests.range);
          expect(answer).toMatchObject({ ok: true, value: { series: [] } });
        })),

    'refuses garbage': () =>
      it('gives a garbage problem for an answer the API never sends', () =>
        withFixture('garbage', async ({ client }) => {
          const answer = await client.query(conformanceRequests.range);
          expect(answer).toMatchObject({ ok: false, errors: [{ kind: 'garbage' }] });
        })),

    'names a refused query': () =>
      it('gives a query problem that quotes the query and the reason', () =>
        withFixture('refused', async ({ client, requests }) => {
          const answer = await client.query(conformanceRequests.range);
          expect(answer).toMatchObject({ ok: false, errors: [{ kind: 'query' }] });
          const message = answer.ok ? '' : (answer.errors[0]?.message ?? '');
          expect(message).toContain(conformanceRequests.range.query);
          expect(message).toContain('parse error');
          expect(requests()).toBeLessThanOrEqual(1);
        })),

    'retries a server error': () =>
      it('answers after a passing server error, by retrying', () =>
        withFixture('flaky-server', async ({ client, requests }) => {
          const answer = await client.query(conformanceRequests.range);
          expect(answer.ok && answer.value.series).toEqual(conformanceSeries.range);
          expect(requests()).toBe(2);
        })),

    'gives up on a lasting server error': () =>
      it('gives a server problem after a bounded number of attempts', () =>
        withFixture('down-server', async ({ client, requests }) => {
          const answer = await client.query(conformanceRequests.range);
          expect(answer).toMatchObject({ ok: false, errors: [{ kind: 'server' }] });
          expect(requests()).toBeGreaterThan(1);
          expect(requests()).toBeLessThanOrEqual(11);
        })),

    'times out': () =>
      it('gives a timeout problem when the source never answers', { timeout: 15_000 }, () =>
        withFixture('hang', async ({ client }) => {
          const answer = await client.query(conformanceRequests.range);
          expect(answer).toMatchObject({ ok: false, errors: [{ kind: 'timeout' }] });
        }),
      ),

    'stops when aborted': () =>
      it('gives an aborted problem for an aborted signal, without asking', () =>
        withFixture('series', async ({ client, requests }) => {
          const controller = new AbortController();
          controller.abort();
          const answer = await client.query(conformanceRequests.range, controller.signal);
          expect(answer).toMatchObject({ ok: false, errors: [{ kind: 'aborted' }] });
          expect(requests()).toBe(0);
        })),

    'stops a slow answer when aborted': () =>
      it('stops waiting for a slow source when the signal aborts', { timeout: 15_000 }, () =>
        withFixture('hang', async ({ client }) => {
          const controller = new AbortController();
          setTimeout(() => controller.abort(), 50);
          const answer = await client.query(conformanceRequests.range, controller.signal);
          expect(answer).toMatchObject({ ok: false, errors: [{ kind: 'aborted' }] });
        }),
      ),

    'reports an unreachable source': () =>
      it('gives an unreachable problem when there is no source', { timeout: 15_000 }, () =>
        withFixture('unreachable', async ({ client }) => {
          const answer = await client.query(conformanceRequests.range);
          expect(answer).toMatchObject({ ok: false, errors: [{ kind: 'unreachable' }] });
          expect(answer.ok ? '' : answer.errors[0]?.message).toContain(client.location);
        }),
      ),
  };

  describe(suite, () => {
    for (const name of metricSourceConformanceCases) if (!skipped.has(name)) cases[name]();
  });
}
