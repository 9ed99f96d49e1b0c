import { z } from 'zod';
import { DurationText } from '../lib/parse-duration.ts';

const name = z.string().trim().min(1).max(100);

/** One wave of a release: environments (regions) deployed together, then baked and checked. */
export const ReleaseWave = z.strictObject({
  name,
  /** The environments (regions) deployed in this wave, as their delivery events name them. */
  environments: z.array(name).min(1),
  /** How long the wave must run after its last deployment finished before the next may go. */
  bake: DurationText.optional(),
  /** What must pass in every environment of the wave: `canary` (a canary_promoted event). */
  requires: z.array(z.enum(['canary'])).default([]),
  /** A person must approve (`candor release approve`) before this wave starts. */
  approval: z.boolean().default(false),
});
export type ReleaseWave = z.output<typeof ReleaseWave>;

/** Serial waves (`release:` in candor.yml, or `services.<name>.release`): names and environments unique. */
export const ReleasePlan = z
  .strictObject({ waves: z.array(ReleaseWave).min(1) })
  .superRefine((plan, context) => {
    const names = new Set<string>();
    const environments = new Map<string, string>();
    plan.waves.forEach((wave, index) => {
      if (names.has(wave.name))
        context.addIssue({
          code: 'custom',
          path: ['waves', index, 'name'],
          message: `wave "${wave.name}" is named twice`,
        });
      names.add(wave.name);
      wave.environments.forEach((environment, at) => {
        const other = environments.get(environment);
        if (other !== undefined)
          context.addIssue({
            code: 'custom',
            path: ['waves', index, 'environments', at],
            message: `environment "${environment}" is already in wave "${other}"`,
          });
        environments.set(environment, wave.name);
      });
    });
  });
export type ReleasePlan = z.output<typeof ReleasePlan>;
