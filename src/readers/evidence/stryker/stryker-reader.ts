import { z } from 'zod';
import { mutantStatuses, type MutationReport } from '../../../core/evidence/mutation-report.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import { truncateText } from '../../../core/lib/truncate-text.ts';
import { ProblemList, issueProblems, shapeProblem } from '../evidence-problems.ts';
import type { EvidenceReader } from '../evidence-reader.ts';
import { streamJson } from '../stream-json.ts';

/** The schema versions read: mutation-testing-report-schema 1 and 2 (Stryker JS, .NET, Scala). */
const supportedMajors = ['1', '2'];

const FileResult = z.object({
  mutants: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).transform(String),
      mutatorName: z.string(),
      status: z.enum(mutantStatuses),
      location: z.object({ start: z.object({ line: z.int().min(0) }).optional() }).optional(),
    }),
  ),
});

/**
 * A mutation-testing report (the mutation-testing-elements schema that Stryker JS, Stryker.NET
 * and Stryker4s write, `reports/mutation/mutation.json`): `schemaVersion`, and `files` keyed by
 * path, each with its `mutants` (`id`, `mutatorName`, `status`, `location`). File objects are
 * read one at a time (their `source` text is dropped).
 */
export const strykerReader = {
  id: 'stryker',
  description: 'Stryker mutation-testing report JSON (mutation-testing-elements schema 1 and 2)',
  kind: 'mutation',
  detectHint: 'a mutation-testing report (an object with "schemaVersion" and "files")',
  detect(head) {
    return /^\s*\{/.test(head) && /"(schemaVersion|files|thresholds)"\s*:/.test(head);
  },
  async read(text) {
    const problems = new ProblemList();
    let schemaVersion: unknown;
    let projectRoot: unknown;
    let hasFiles = false;
    const files: MutationReport['files'] = [];
    const parsed = await streamJson(text, {
      paths: ['$.schemaVersion', '$.projectRoot', '$.files.*'],
      maxDepth: 1,
      onStart(path, kind) {
        if (path.length === 0 && kind !== 'object')
          problems.add(
            shapeProblem([], `expected object (a mutation-testing report), received ${kind}`),
          );
        if (path.length === 1 && path[0] === 'files') {
          hasFiles = true;
          if (kind !== 'object')
            problems.add(shapeProblem(['files'], `expected object, received ${kind}`));
        }
      },
      onValue(value, path) {
        if (path[0] === 'projectRoot') {
          projectRoot = value;
          return;
        }
        if (path[0] === 'schemaVersion') {
          schemaVersion = value;
          return;
        }
        const file = String(path[1]);
        const result = FileResult.safeParse(value);
        if (!result.success) {
          problems.add(...issueProblems(path, result.error));
          return;
        }
        files.push({
          file: truncateText(file, 1000),
          mutants: result.data.mutants.map((m) => ({
            id: truncateText(m.id, 200),
            mutator: truncateText(m.mutatorName, 200),
            status: m.status,
            line: m.location?.start?.line,
          })),
        });
      },
    });
    if (!parsed.ok) return parsed;
    if (problems.items.length > 0) return fail(...problems.items);
    if (typeof schemaVersion !== 'string')
      return fail(
        shapeProblem(['schemaVersion'], 'expected the schema version (a string such as "1.0")'),
      );
    if (!supportedMajors.includes(schemaVersion.split('.')[0] ?? ''))
      return fail(
        shapeProblem(
          ['schemaVersion'],
          `schema version ${truncateText(schemaVersion, 50)} is not supported (1.x and 2.x are)`,
        ),
      );
    if (!hasFiles) return fail(shapeProblem(['files'], 'missing: the report holds no files'));
    return ok({
      schemaVersion,
      projectRoot: typeof projectRoot === 'string' ? truncateText(projectRoot, 1000) : undefined,
      files,
    });
  },
} satisfies EvidenceReader<'mutation'>;
