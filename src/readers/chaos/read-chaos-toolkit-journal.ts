import { z } from 'zod';
import { formatIssuePath } from '../../core/lib/format-issue-path.ts';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';

/** What candor takes from a Chaos Toolkit journal (`chaostoolkit-lib` `initialize_run_journal`). */
export type ChaosToolkitJournal = {
  title: string | undefined;
  /** `completed` | `failed` | `aborted` | `interrupted` ("completed" only means everything ran). */
  status: string;
  /** The steady state did not hold after the method. */
  deviated: boolean;
  start: string | undefined;
  end: string | undefined;
  durationSeconds: number | undefined;
  /** Before/after steady-state results (`steady_met`), when present. */
  steadyBefore: boolean | undefined;
  steadyAfter: boolean | undefined;
  /** Activities run (`run[]`) and those that failed. */
  activities: number;
  failedActivities: number;
  rollbacks: number;
};

const SteadyState = z
  .looseObject({ steady_state_met: z.boolean().nullable().optional() })
  .nullable()
  .optional();
const Activity = z.looseObject({ status: z.string().optional() });

const Journal = z.looseObject({
  experiment: z.looseObject({ title: z.string().optional() }),
  status: z.enum(['completed', 'failed', 'aborted', 'interrupted']),
  deviated: z.boolean(),
  start: z.string().optional(),
  end: z.string().optional(),
  duration: z.number().optional(),
  steady_states: z.looseObject({ before: SteadyState, after: SteadyState }).nullable().optional(),
  run: z.array(Activity).default([]),
  rollbacks: z.array(Activity).default([]),
});

/**
 * Reads a Chaos Toolkit journal (JSON): `status`, `deviated`, `steady_states.before/after`,
 * `run[]`, `rollbacks[]` (docs: chaostoolkit.org/reference/api/journal/). Problems name the JSON
 * path. Never throws.
 */
export function readChaosToolkitJournal(text: string): Result<ChaosToolkitJournal, Problem> {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return fail({ message: `not JSON: ${(error as Error).message}` });
  }
  const parsed = Journal.safeParse(value);
  if (!parsed.success)
    return fail(
      ...parsed.error.issues.map((issue) => {
        const path = formatIssuePath(issue.path.filter((p) => typeof p !== 'symbol'));
        return { message: `${path || '(journal)'}: ${issue.message}`, path };
      }),
    );
  const j = parsed.data;
  return ok({
    title: j.experiment.title,
    status: j.status,
    deviated: j.deviated,
    start: j.start,
    end: j.end,
    durationSeconds: j.duration,
    steadyBefore: j.steady_states?.before?.steady_state_met ?? undefined,
    steadyAfter: j.steady_states?.after?.steady_state_met ?? undefined,
    activities: j.run.length,
    failedActivities: j.run.filter((a) => a.status === 'failed').length,
    rollbacks: j.rollbacks.length,
  });
}
