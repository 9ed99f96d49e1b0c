import { resolve } from 'node:path';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { loadQuarantine, type LoadedQuarantine } from './quarantine-store.ts';

/**
 * The quarantine file `file` (relative to `cwd`), validated; a missing file is an empty
 * quarantine. Throws CandorError `invalid-input` naming the first problem as
 * `file:line:column: path: message`, and `io` when the file cannot be read.
 */
export function openQuarantine(cwd: string, file: string): LoadedQuarantine {
  const loaded = loadQuarantine(resolve(cwd, file));
  if (loaded.ok) return loaded.value;
  const first = loaded.errors[0];
  const message = `${first?.path ? `${first.path}: ` : ''}${first?.message ?? 'invalid'}`;
  throw new CandorError(
    'invalid-input',
    formatProblem(
      first?.line == null ? { message } : { message, line: first.line, column: first.column ?? 1 },
      file,
    ),
  );
}
