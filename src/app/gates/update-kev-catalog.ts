import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { KevCatalog } from '../../core/evidence/kev-catalog.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatIssuePath } from '../../core/lib/format-issue-path.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';
import { streamJson } from '../../readers/evidence/stream-json.ts';
import { kevCatalogFile } from '../../gates/vulnerabilities/vulnerabilities-condition.ts';

export type UpdatedKevCatalog = {
  /** Where it was written, relative to the repository root. */
  path: string;
  catalogVersion: string;
  dateReleased: string;
  count: number;
};

/**
 * `candor kev update --from FILE`: checks `from` (the CISA KEV catalog JSON,
 * `known_exploited_vulnerabilities.json`) against the catalog's schema and writes it to
 * `.candor/kev.json` under `root`, replacing the previous catalog at once (a temporary file
 * renamed), so a bad file leaves the old one in place. Problems (JSON syntax with line:column,
 * schema with the JSON path, a count that does not match) are values; throws CandorError
 * `not-found` when `from` does not exist and `io` when a file cannot be read or written.
 */
export async function updateKevCatalog(options: {
  root: string;
  from: string;
}): Promise<Result<UpdatedKevCatalog, Problem>> {
  const source = resolve(options.root, options.from);
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CandorError(
      code === 'ENOENT' ? 'not-found' : 'io',
      `cannot read ${options.from}: ${messageOf(error)}`,
      { cause: error },
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  const syntax = await streamJson(
    (async function* () {
      yield text;
    })(),
    {
      paths: ['$'],
      onValue(value) {
        json = value;
      },
    },
  );
  if (!syntax.ok) return syntax;
  const parsed = KevCatalog.safeParse(json);
  if (!parsed.success) {
    return fail(
      ...parsed.error.issues.slice(0, 20).map((issue) => {
        const path = formatIssuePath(issue.path);
        return { message: `${path || '(root)'}: ${issue.message}`, path };
      }),
    );
  }
  const target = join(options.root, kevCatalogFile);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temporary, `${JSON.stringify(parsed.data)}\n`);
    await rename(temporary, target);
  } catch (error) {
    throw new CandorError('io', `cannot write ${kevCatalogFile}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const { catalogVersion, dateReleased, count } = parsed.data;
  return ok({ path: kevCatalogFile, catalogVersion, dateReleased, count });
}
