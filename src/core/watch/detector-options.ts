import { z } from 'zod';

/** Which way a watched metric goes bad. */
export const WatchDirection = z.enum(['increase', 'decrease', 'either']);
export type WatchDirection = z.infer<typeof WatchDirection>;

/**
 * The options of each detector, declared once: `watch:` in candor.yml
 * (`config/watch-config.ts`) and the watch input (`watch-input.ts`) both spread them, so a
 * bound or a default changes in one place. `direction` is apart: the config defaults it per
 * detector (`defaultDirections`), the input requires it.
 */
export const detectorOptions = {
  drift: {
    /** Smallest drift that matters, relative to the level per hour. Default 0.03. */
    threshold: z.number().positive().max(100).optional(),
    /** An absolute limit in the bad direction (pool size): the finding says when it is reached. */
    limit: z.number().optional(),
  },
  shift: {
    /** The practical minimum magnitude, relative (0.1: a 10% shift). */
    threshold: z.number().positive().max(100).default(0.1),
  },
  kpi: {
    /** The practical threshold, relative (0.05: a 5% drop). */
    threshold: z.number().positive().max(100).default(0.05),
  },
  burn: {
    /** The SLO: the share of good events (0.999). */
    objective: z.number().gt(0).lt(1),
  },
} as const;

/** The direction a detector watches when candor.yml does not say. */
export const defaultDirections = {
  drift: 'increase',
  shift: 'either',
  kpi: 'decrease',
} as const satisfies Record<'drift' | 'shift' | 'kpi', WatchDirection>;
