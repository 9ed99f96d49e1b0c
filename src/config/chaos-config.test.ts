import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ChaosExperiment } from '../core/chaos/chaos-experiment.ts';
import { GameDayRecord } from '../core/chaos/game-day-record.ts';
import { CandorConfig } from './candor-config.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('### `candor chaos`'));
const yamlBlocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => m[1] ?? '')
  .slice(0, 5);

describe('README "candor chaos"', () => {
  it('has catalog entries that parse as written (a fault and an ai-drift entry)', () => {
    const [fault, drift] = yamlBlocks;
    expect(ChaosExperiment.parse(parse(fault ?? '')).id).toBe('payments-pod-loss');
    expect(ChaosExperiment.parse(parse(drift ?? '')).invariants).toHaveLength(2);
  });

  it('shows a game-day record in the shape candor chaos record writes', () => {
    expect(GameDayRecord.parse(parse(yamlBlocks[3] ?? '')).rollback?.durationSeconds).toBe(42);
  });

  it('has a chaos: section and a quarter checklist candor.yml accepts', () => {
    const config = CandorConfig.parse(parse(yamlBlocks[2] ?? ''));
    expect(config.chaos?.ceiling).toEqual({
      maxTargets: 1,
      maxPercent: 25,
      maxDuration: 900_000,
      allowAll: false,
    });
    expect(config.chaos?.freezes).toHaveLength(1);
    expect(CandorConfig.safeParse(parse(yamlBlocks[4] ?? '')).success).toBe(true);
  });
});
