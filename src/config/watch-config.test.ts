import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCandorConfig } from '../app/config/load-candor-config.ts';
import { candorConfigJsonSchema } from './candor-config.ts';

const canary = `canary:
  source: { kind: prometheus, url: http://127.0.0.1:9090 }
  metrics:
    - name: memory
      kind: gauge
      query: process_resident_memory_bytes{job="{{job}}"}
    - name: checkouts
      kind: count
      numerator: sum(increase(checkout_success_total[{{interval}}]))
      denominator: sum(increase(checkout_started_total[{{interval}}]))
`;

describe('candor.yml watch:', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-watch-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = (text: string) => {
    writeFileSync(join(dir, 'candor.yml'), text);
    return loadCandorConfig({ cwd: dir });
  };

  it('reads per-service metrics that name canary metrics, with defaults', () => {
    const loaded = load(`${canary}watch:
  checkout:
    window: 90m
    labels: { job: checkout }
    metrics:
      - { metric: memory, detector: drift, limit: 2e9, rollback: true }
      - { metric: checkouts, detector: kpi }
      - { metric: checkouts, detector: burn, objective: 0.999 }
      - { metric: memory, detector: shift, direction: increase, threshold: 0.2 }
`);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const watch = loaded.value.config.watch?.['checkout'];
    expect(watch).toMatchObject({ window: 5_400_000, every: 60_000, baselineDays: [1, 7] });
    expect(watch?.metrics).toEqual([
      {
        metric: 'memory',
        detector: 'drift',
        direction: 'increase',
        limit: 2e9,
        seasonal: false,
        rollback: true,
      },
      {
        metric: 'checkouts',
        detector: 'kpi',
        direction: 'decrease',
        threshold: 0.05,
        rollback: false,
      },
      { metric: 'checkouts', detector: 'burn', objective: 0.999, rollback: false },
      {
        metric: 'memory',
        detector: 'shift',
        direction: 'increase',
        threshold: 0.2,
        rollback: false,
      },
    ]);
  });

  it('refuses an unknown metric and a detector the kind cannot feed, at line:column', () => {
    const loaded = load(`${canary}watch:
  checkout:
    metrics:
      - { metric: memroy, detector: drift }
      - { metric: memory, detector: kpi }
`);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [
        14,
        19,
        expect.stringContaining(
          '"memroy" is not a metric of canary.metrics (known: memory, checkouts)',
        ),
      ],
      [15, 19, expect.stringContaining('the kpi detector cannot read "memory", a gauge metric')],
    ]);
  });

  it('refuses watch: without canary:, an unknown detector and an unknown key', () => {
    const noCanary = load('watch:\n  s:\n    metrics: [{ metric: m, detector: drift }]\n');
    expect(noCanary.ok).toBe(false);
    if (!noCanary.ok) expect(noCanary.errors[0]?.message).toContain('no canary: section');
    const bad = load(
      `${canary}watch:\n  s:\n    every: soon\n    metrics: [{ metric: memory, detector: trend }]\n`,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.line)).toEqual([13, 14]);
  });

  it('is in the JSON schema of candor config schema', () => {
    const schema = candorConfigJsonSchema() as { properties: Record<string, unknown> };
    expect(JSON.stringify(schema.properties['watch'])).toContain('"baselineDays"');
  });
});
