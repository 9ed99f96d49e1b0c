import { z } from 'zod';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';
import { parseYaml } from '../yaml/parse-yaml.ts';

/** What candor takes from a LitmusChaos `ChaosResult` (`litmuschaos.io/v1alpha1`). */
export type LitmusChaosResult = {
  name: string | undefined;
  /** `Pass` | `Fail` | `Awaited` | `Stopped`. */
  verdict: string;
  phase: string | undefined;
  probeSuccessPercentage: number | undefined;
};

const ChaosResult = z.looseObject({
  kind: z.literal('ChaosResult'),
  metadata: z.looseObject({ name: z.string().optional() }).optional(),
  status: z.looseObject({
    experimentStatus: z.looseObject({
      verdict: z.enum(['Pass', 'Fail', 'Awaited', 'Stopped']),
      phase: z.string().optional(),
      probeSuccessPercentage: z.union([z.number(), z.string()]).optional(),
    }),
  }),
});

/**
 * Reads a LitmusChaos ChaosResult (YAML or JSON, as `kubectl get chaosresult -o yaml` prints it):
 * `status.experimentStatus.verdict` and `probeSuccessPercentage`. Problems carry line:column.
 * Never throws.
 */
export function readLitmusChaosResult(text: string): Result<LitmusChaosResult, Problem> {
  const parsed = parseYaml(text.replace(/^\uFEFF/, ''), ChaosResult);
  if (!parsed.ok) return parsed;
  const status = parsed.value.value.status.experimentStatus;
  const percentage =
    status.probeSuccessPercentage === undefined ? undefined : Number(status.probeSuccessPercentage);
  if (percentage !== undefined && !Number.isFinite(percentage))
    return fail({ message: `status.experimentStatus.probeSuccessPercentage: not a number` });
  return ok({
    name: parsed.value.value.metadata?.name,
    verdict: status.verdict,
    phase: status.phase,
    probeSuccessPercentage: percentage,
  });
}
