import { z } from 'zod';
import { RollbackActionConfig } from '../actions/rollback-actions.ts';
import { PathRule } from '../core/affected/path-rule.ts';
import { ReleasePlan } from '../core/release/release-plan.ts';

/** How a service's rollback is rehearsed (`candor rollback drill`). */
export const DrillConfig = z.strictObject({
  /** The non-production environment drills run against. */
  environment: z.string().min(1).max(100).default('staging'),
  /** The action a drill runs; default: the service's rollback action. */
  action: RollbackActionConfig.optional(),
  /** A drill older than this many days is stale (`candor rollback drills`, the `drill` gate). */
  maxAgeDays: z.number().int().min(1).max(3650).default(30),
});
export type DrillConfig = z.output<typeof DrillConfig>;

/** One service of `candor.yml` `services:`: how it is rolled back and how that is rehearsed. */
export const ServiceConfig = z.strictObject({
  /** The action `candor rollback` runs (README "Rollback actions"). */
  rollback: RollbackActionConfig.optional(),
  drill: DrillConfig.optional(),
  /** This service's waves, instead of the top-level `release:` plan. */
  release: ReleasePlan.optional(),
  /** The files whose change affects the service (`candor affected`): globs, `!` excludes. */
  paths: z.array(PathRule).optional(),
  /** Its project name in Nx (`candor affected --nx`; default: the service's name). */
  nx: z.string().min(1).max(200).optional(),
  /** Its package name in Turborepo (`candor affected --turbo`; default: the service's name). */
  turbo: z.string().min(1).max(200).optional(),
});
export type ServiceConfig = z.output<typeof ServiceConfig>;

/** `services:`: the services candor acts on, by the name their delivery events carry. */
export const ServicesConfig = z.record(z.string().min(1).max(200), ServiceConfig);
export type ServicesConfig = z.output<typeof ServicesConfig>;
