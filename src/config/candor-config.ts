import { z } from 'zod';
import { CanaryConfig } from './canary-config.ts';

import { GatesConfig } from './gates-config.ts';
import { ReleasePlan } from '../core/release/release-plan.ts';
import { ServicesConfig } from './services-config.ts';
import { ChaosConfig } from './chaos-config.ts';
import { AffectedConfig } from '../core/affected/path-rule.ts';
import { checkWatchReferences, WatchConfig } from './watch-config.ts';

/**
 * The sections of `candor.yml`, one per feature that is configured in the repository (`canary:`,
 * `watch:`, `services:`, `gates:` …). A feature adds its section here, as one line with its own
 * schema; `CandorConfig`, `candor config check` and the JSON Schema for editors follow.
 */
export const configSections = {
  canary: CanaryConfig.optional(),

  gates: GatesConfig.optional(),
  services: ServicesConfig.optional(),
  /** Serial region waves for every service (README "candor release"). */
  release: ReleasePlan.optional(),
  /** The chaos catalog and game days (README "candor chaos"). */
  chaos: ChaosConfig.optional(),
  /** The post-deploy watch per service (README "candor watch"). */
  watch: WatchConfig.optional(),
  /** Paths that affect every service (README "candor affected"). */
  affected: AffectedConfig.optional(),
} satisfies Record<string, z.ZodType>;

/**
 * `candor.yml` at the repository root (`--config PATH`): every section optional, unknown keys
 * refused (a misspelt section must not be silently ignored). `version` is 1 when given.
 */
export const CandorConfig = z
  .strictObject({
    version: z.literal(1).optional(),
    ...configSections,
  })
  .superRefine((config, context) => {
    for (const issue of checkWatchReferences(config.watch, config.canary))
      context.addIssue({ code: 'custom', ...issue });
  });
export type CandorConfig = z.output<typeof CandorConfig>;

/** The JSON Schema of `candor.yml` (draft 2020-12), for editors: `candor config schema`. */
export function candorConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(CandorConfig, { target: 'draft-2020-12', io: 'input' }),
    $id: 'https://candor.dev/schema/candor.yml.json',
    title: 'candor.yml',
    description: 'The configuration of candor in a repository (README, "candor.yml").',
  };
}
