import { z } from 'zod';
import type { PolicyMessage } from '../../../core/evidence/policy-report.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import { truncateText, textLimits } from '../../../core/lib/truncate-text.ts';
import { issueProblems, ProblemList, shapeProblem } from '../evidence-problems.ts';
import type { EvidenceReader } from '../evidence-reader.ts';
import { streamJson } from '../stream-json.ts';

const ConftestResult = z.object({
  msg: z.string(),
  loc: z.object({ file: z.string().optional(), line: z.number().int().optional() }).nullish(),
});

/** One entry of conftest's JSON output: the checks of one file in one namespace. */
export const ConftestCheck = z.object({
  filename: z.string(),
  namespace: z.string().optional(),
  successes: z.number().int().nonnegative().default(0),
  skipped: z.array(ConftestResult).nullish(),
  warnings: z.array(ConftestResult).nullish(),
  failures: z.array(ConftestResult).nullish(),
  exceptions: z.array(ConftestResult).nullish(),
});

function toMessage(filename: string, result: z.infer<typeof ConftestResult>): PolicyMessage {
  return {
    message: truncateText(result.msg, textLimits.message),
    file: result.loc?.file ?? (filename === '' ? undefined : filename),
    line: result.loc?.line,
  };
}

/** conftest `test -o json`: failures and warnings of every file checked. */
export const conftestReader = {
  id: 'conftest',
  description: 'conftest JSON (conftest test -o json): failures and warnings of every file',
  kind: 'policy',
  detectHint: 'conftest JSON (an array of {"filename", "successes", …})',

  detect(head) {
    return /^\s*\[/.test(head);
  },

  async read(text) {
    const problems = new ProblemList();
    const failures: PolicyMessage[] = [];
    const warnings: PolicyMessage[] = [];
    let successes = 0;
    const parsed = await streamJson(text, {
      paths: ['$.*'],
      onStart(path, kind) {
        if (path.length === 0 && kind !== 'array') {
          problems.add(shapeProblem([], `expected array (conftest -o json), received ${kind}`));
        }
      },
      onValue(value, path) {
        if (problems.items.length > 0) return;
        const check = ConftestCheck.safeParse(value);
        if (!check.success) return problems.add(...issueProblems(path, check.error));
        const { filename } = check.data;
        successes += check.data.successes;
        for (const r of check.data.failures ?? []) failures.push(toMessage(filename, r));
        for (const r of check.data.warnings ?? []) warnings.push(toMessage(filename, r));
      },
    });
    if (!parsed.ok) return parsed;
    if (problems.items.length > 0) return fail(...problems.items);
    return ok({ engine: 'conftest', isUndefined: false, failures, warnings, successes });
  },
} satisfies EvidenceReader<'policy'>;
