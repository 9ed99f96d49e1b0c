import type { z } from 'zod';
import { formatIssuePath } from '../../core/lib/format-issue-path.ts';
import type { Problem } from '../../core/lib/problem.ts';

/** Shape problems a reader reports at most (the first ones). */
export const maxShapeProblems = 20;

/** A problem at a JSON path: `runs[0].results[3].message: expected object`. Never throws. */
export function shapeProblem(path: readonly PropertyKey[], message: string): Problem {
  const formatted = formatIssuePath(path);
  return { message: `${formatted || '(root)'}: ${message}`, path: formatted };
}

/** The problems of a failed schema parse of the value at `path`. Never throws. */
export function issueProblems(path: readonly PropertyKey[], error: z.ZodError): Problem[] {
  return error.issues.map((issue) => shapeProblem([...path, ...issue.path], issue.message));
}

/** Keeps at most `maxShapeProblems` problems; says when more were dropped. */
export class ProblemList {
  readonly items: Problem[] = [];
  get isFull(): boolean {
    return this.items.length >= maxShapeProblems;
  }
  add(...problems: Problem[]): void {
    for (const problem of problems) if (!this.isFull) this.items.push(problem);
  }
}
