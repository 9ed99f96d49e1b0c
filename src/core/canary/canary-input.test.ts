import { describe, expect, it } from 'vitest';
import { parseCanaryInput } from './canary-input.ts';

const latency = { name: 'latency', kind: 'distribution', baseline: [1, 2], canary: [1, null] };

describe('parseCanaryInput', () => {
  it('accepts the input of issue 11 item 4, with null for NaN and one-element totals', () => {
    const result = parseCanaryInput({
      metrics: [
        latency,
        {
          name: 'error-rate',
          kind: 'count',
          direction: 'increase',
          critical: true,
          group: 'errors',
          weight: 2,
          threshold: 0.5,
          max: 0.02,
          baseline: { events: [10], total: [1000] },
          canary: { events: [12], total: [990] },
          kayenta: { nanStrategy: 'replace', critical: true, mustHaveData: true },
        },
      ],
      thresholds: { pass: 90, marginal: 50 },
    });
    expect(result.ok).toBe(true);
  });

  it.each([
    [{ metrics: [{ ...latency, kind: 'histogram' }] }, 'metrics[0].kind'],
    [{ metrics: [{ ...latency, baseline: [1, 'x'] }] }, 'metrics[0].baseline[1]'],
    [{ metrics: [latency, latency] }, 'metrics[1].name'],
    [
      {
        metrics: [{ name: 'e', kind: 'count', baseline: { events: [1, 2], total: [10] } }],
      },
      'metrics[0].baseline.total',
    ],
    [
      { metrics: [{ name: 'e', kind: 'count', canary: { events: [11], total: [10] } }] },
      'metrics[0].canary.events[0]',
    ],
    [{ metrics: [latency], thresholds: { pass: 50, marginal: 80 } }, 'thresholds.marginal'],
    [{ metrics: [{ ...latency, kayenta: { tolerence: 0.2 } }] }, 'metrics[0].kayenta'],
    [{ metrics: [{ ...latency, wieght: 2 }] }, 'metrics[0]'],
  ])('refuses %j, naming %s', (input, path) => {
    const result = parseCanaryInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain(path);
  });

  it('says where the problem is in the message', () => {
    const result = parseCanaryInput({ metrics: [{ ...latency, weight: -1 }] });
    expect(!result.ok && result.errors[0]?.message).toMatch(/^metrics\[0\]\.weight: /);
  });
});
