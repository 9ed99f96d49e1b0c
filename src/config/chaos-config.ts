import { z } from 'zod';
import { DurationText } from '../core/lib/parse-duration.ts';
import { MetricSourceConfig } from '../sources/metric-sources.ts';

/** `chaos:` in candor.yml: where the chaos catalog lives and what production entries may do. */
export const ChaosConfig = z.strictObject({
  /** The catalog folder (`*.yml` entries), repository-relative. */
  catalog: z.string().trim().min(1).max(1000).default('.candor/chaos'),
  /** Game-day records; default `<catalog>/game-days`. */
  gameDays: z.string().trim().min(1).max(1000).optional(),
  /** Environments that get the production checks of `candor chaos check`. */
  productionEnvironments: z.array(z.string().min(1).max(100)).min(1).default(['production']),
  /** The largest blast radius a production entry may have. */
  ceiling: z
    .strictObject({
      maxTargets: z.int().min(1).default(1),
      maxPercent: z.number().min(0).max(100).default(25),
      maxDuration: DurationText.prefault('15m'),
      allowAll: z.boolean().default(false),
    })
    .prefault({}),
  /** Where `candor chaos ready` reads error ratios; default `canary.source`. */
  source: MetricSourceConfig.optional(),
  /** Change freezes: no experiment is ready between `start` and `end` (ISO 8601). */
  freezes: z
    .array(
      z.strictObject({
        start: z.iso.datetime({ offset: true }),
        end: z.iso.datetime({ offset: true }),
        reason: z.string().max(500).optional(),
        services: z.array(z.string().min(1).max(200)).optional(),
      }),
    )
    .default([]),
});
export type ChaosConfig = z.output<typeof ChaosConfig>;
