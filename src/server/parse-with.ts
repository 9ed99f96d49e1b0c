import type { z } from 'zod';
import { CandorError } from '../core/lib/candor-error.ts';
import { formatIssuePath } from '../core/lib/format-issue-path.ts';

/** Parses request input with a shared schema; throws CandorError `invalid-input` naming the field. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? formatIssuePath(issue.path) : '';
  throw new CandorError(
    'invalid-input',
    `${where}${path ? `.${path}` : ''}: ${issue?.message ?? 'invalid'}`,
  );
}
